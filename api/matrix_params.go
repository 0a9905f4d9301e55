package api

import (
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/parley/parley/domain"
)

const matrixDescription = "Topics as rows and participants as columns; a party holding several roles is one column listing them all. " +
	"A bloc's members are read on the day of as_of (today without it). " +
	"A position a bloc states on a topic (its demands, endorsements and objections there) is inherited by each member that states nothing of its own there: " +
	"the member's cell lists it under inherited, marked with the bloc's id. A member whose own statements differ from its bloc's names the bloc in diverges_from: " +
	"it objects to a live demand the bloc makes or endorses, endorses a demand the bloc stands against, or makes live demands of its own without endorsing all of the bloc's. " +
	"group_by=bloc makes the columns the blocs among the participants (each listing in grouped the participants it stands for) followed by the participants in none of them; " +
	"a bloc's cell holds its own statements and those of its members that differ (named in divergent_members). " +
	"Filters: role narrows the columns, topic_id and state the rows (topic states are computed from every party, whatever the columns shown). " +
	"compact=true answers the compact form: each party and topic once, and only the non-empty cells with short keys: " +
	"t and p index topics and parties; d lists the demands by id and status (s), with their title when fields=title; " +
	"e, o and so count endorsements, objections and standing objections, r the rebuttals of those objections; in, dv and dm name by their index in parties the blocs inherited from, the blocs diverged from and the divergent members. " +
	"A 200-party conference fits in under 2 MB."

var matrixFilterParams = []parameter{
	{Name: "role", Description: "show only participants holding this role; repeat for several", Schema: map[string]any{"type": "string", "enum": domain.ParticipantRoles().Strings()}},
	{Name: "topic_id", Description: "show only these topics; repeat for several", Schema: uuidSchema()},
	{Name: "state", Description: "show only topics in this state; repeat for several", Schema: map[string]any{"type": "string", "enum": domain.TopicStates().Strings()}},
	{Name: "group_by", Description: "bloc: a column per bloc among the participants, then the participants in no bloc", Schema: map[string]any{"type": "string", "enum": domain.MatrixGroupings}},
	{Name: "compact", Description: "true for the compact form; absent or false for the full one", Schema: map[string]any{"type": "boolean"}},
	{Name: "fields", Description: "with compact=true, what to add to each demand: title (comma-separated; the only one so far)", Schema: map[string]any{"type": "string", "enum": []string{"title"}}},
}

// matrixOptions reads the matrix's choice of columns and rows; bad values
// are recorded in errs under their parameter's name.
func matrixOptions(c echo.Context, errs *domain.FieldErrors) (o domain.MatrixOptions, compact, titles bool) {
	q := c.QueryParams()
	o.PartyIDs = uuidParams(q["party_id"], "party_id", errs)
	o.TopicIDs = uuidParams(q["topic_id"], "topic_id", errs)
	o.Roles = textParams(q["role"])
	o.States = textParams(q["state"])
	o.GroupBy = strings.TrimSpace(c.QueryParam("group_by"))
	if _, given := q["group_by"]; given && o.GroupBy == "" {
		errs.Add("group_by", "must be bloc (or absent for a column per participant)")
	}
	switch v := strings.TrimSpace(c.QueryParam("compact")); v {
	case "", "false":
	case "true":
		compact = true
	default:
		errs.Add("compact", "must be true or false")
	}
	for _, list := range q["fields"] {
		for _, f := range strings.Split(list, ",") {
			switch f = strings.TrimSpace(f); f {
			case "":
			case "title":
				titles = true
			default:
				errs.Add("fields", "%q is not a field the compact form can add; the one there is: title", f)
			}
		}
	}
	if titles && !compact {
		errs.Add("fields", "applies to the compact form: add compact=true (the full form carries every field)")
	}
	return o, compact, titles
}

func uuidParams(values []string, name string, errs *domain.FieldErrors) []string {
	var out []string
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		if _, err := uuid.Parse(v); err != nil || len(v) != 36 {
			errs.Add(name, "must be a UUID")
			continue
		}
		out = append(out, v)
	}
	return out
}

func textParams(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
