package api

import (
	"strings"

	"github.com/parley/parley/domain"
)

// stateSchema is a topic state, with the definitions of every state.
func stateSchema() map[string]any {
	var b strings.Builder
	b.WriteString("the topic's state. ")
	for _, d := range domain.TopicStateDefinitions {
		b.WriteString(string(d.State) + ": " + d.Definition + " ")
	}
	return map[string]any{"type": "string", "enum": domain.TopicStates().Strings(), "description": strings.TrimSpace(b.String())}
}

// stanceSchema is a party's stance on a topic, with every definition.
func stanceSchema() map[string]any {
	var b strings.Builder
	b.WriteString("the party's stance on the topic, from its own demands, endorsements and objections there. ")
	for _, d := range domain.StanceDefinitions {
		b.WriteString(d.Stance + " (" + d.Symbol + "): " + d.Definition + " ")
	}
	return map[string]any{"type": "string", "enum": domain.Stances, "description": strings.TrimSpace(b.String())}
}

// topicSummarySchema documents domain.TopicSummary.
func topicSummarySchema() map[string]any {
	integer := func(desc string) map[string]any { return map[string]any{"type": "integer", "description": desc} }
	return object([]string{"topic_id", "state"}, map[string]any{
		"topic_id": uuidSchema(), "state": stateSchema(),
		"pending_secondary":           integer("live secondary demands still pending on an agreed topic"),
		"divergent_terms":             map[string]any{"type": "array", "items": stringSchema(), "description": "the defined terms principals state different values of"},
		"demands":                     integer("every demand on the topic"),
		"live_demands":                integer("demands neither rejected nor withdrawn"),
		"objections":                  integer("every objection to the topic's demands"),
		"standing_objections":         integer("standing objections to the topic's demands"),
		"standing_objections_to_live": integer("standing objections to live demands"),
		"endorsements":                integer("every endorsement of the topic's demands"),
		"endorsements_of_live":        integer("endorsements of live demands"),
	})
}

// termRowSchema documents domain.TermRow.
func termRowSchema() map[string]any {
	// Any JSON value, null included: a schema without a type admits null.
	anyValue := map[string]any{"description": "number and percent: a number; money: a decimal string of the currency; date: YYYY-MM-DD (gap: days); null where there is none"}
	ids := map[string]any{"type": "array", "items": uuidSchema()}
	rng := object([]string{"min", "max", "gap", "min_party_ids", "max_party_ids"}, map[string]any{
		"currency": stringSchema(), "min": anyValue, "max": anyValue, "gap": anyValue,
		"min_text": stringSchema(), "max_text": stringSchema(), "gap_text": stringSchema(),
		"min_party_ids": ids, "max_party_ids": ids,
		"span_days":         map[string]any{"type": "integer", "nullable": true, "description": "date terms: days from the earliest to the latest"},
		"includes_inactive": map[string]any{"type": "boolean", "description": "a party's position here comes from a rejected or withdrawn demand"},
	})
	value := object([]string{"party_id", "demand_id", "demand_status", "value", "text", "live", "position", "fits"}, map[string]any{
		"party_id": uuidSchema(), "demand_id": uuidSchema(), "demand_status": map[string]any{"type": "string", "enum": domain.DemandStatuses().Strings()},
		"value": map[string]any{"description": "the stored value (see term_definitions)"}, "text": map[string]any{"type": "string", "description": "the value as analysts write it: 1,904; 45 %; $1.2 bn; yes"},
		"live":     map[string]any{"type": "boolean", "description": "false for a value from a rejected or withdrawn demand"},
		"position": map[string]any{"type": "boolean", "description": "the value the range or split counts for the party: its latest live one, else its latest"},
		"fits":     map[string]any{"type": "boolean", "description": "false for a value stored before the term was defined: shown, not compared"},
	})
	return object([]string{"topic_id", "key", "label", "type", "values", "ranges"}, map[string]any{
		"topic_id": uuidSchema(), "key": stringSchema(), "label": stringSchema(), "type": enumSchema(domain.TermTypes().Strings()),
		"unit": stringSchema(), "currency": stringSchema(), "values": arrayOf(value),
		"ranges": map[string]any{"type": "array", "items": rng, "description": "number, percent, date: one range; money: one per currency"},
		"min":    anyValue, "max": anyValue, "gap": anyValue,
		"min_party_ids": map[string]any{"type": "array", "items": uuidSchema(), "nullable": true},
		"max_party_ids": map[string]any{"type": "array", "items": uuidSchema(), "nullable": true},
		"split":         map[string]any{"type": "object", "nullable": true, "additionalProperties": ids, "description": "boolean and choice: the parties holding each value (\"true\", \"false\", a choice key)"},
		"split_order":   map[string]any{"type": "array", "items": stringSchema(), "nullable": true},
		"split_labels":  map[string]any{"type": "object", "nullable": true, "additionalProperties": stringSchema()},
	})
}

// legendSchemas document the state and stance definitions a matrix carries.
func legendSchemas() (states, stances map[string]any) {
	states = arrayOf(object([]string{"state", "label", "definition"}, map[string]any{"state": stateSchema(), "label": stringSchema(), "definition": stringSchema()}))
	stances = arrayOf(object([]string{"stance", "label", "symbol", "definition"}, map[string]any{"stance": stanceSchema(), "label": stringSchema(), "symbol": stringSchema(), "definition": stringSchema()}))
	return states, stances
}

// termsSchema documents a demand's terms and how a defined term's value
// is read and stored.
func termsSchema() map[string]any {
	money := object([]string{"amount", "currency"}, map[string]any{
		"amount":   map[string]any{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`, "description": "a decimal string, exact (no floating point)"},
		"currency": map[string]any{"type": "string", "pattern": "^[A-Z]{3}$"},
	})
	money["additionalProperties"] = false
	return map[string]any{
		"type": "object",
		"description": "a flat object of named terms. A term the topic defines (term_definitions) is read and stored by its type: " +
			"number: 1500, \"1,500\" or \"1 500\", stored as a number; percent: 45 or \"45%\", stored as 45; " +
			"money: 1200000 (in the definition's currency), \"$1.2m\", \"$1.2bn\", \"€300 million\", \"1,200,000 USD\", stored as {\"amount\": \"1200000\", \"currency\": \"USD\"}; " +
			"boolean: true, false, \"yes\", \"no\"; choice: a choice's key or label, stored as its key; date: YYYY-MM-DD; text: a string. " +
			"A value that does not fit is a 422 naming terms.KEY and what was expected. Any other term is kept as given and not compared.",
		"additionalProperties": map[string]any{"oneOf": []any{stringSchema(), map[string]any{"type": "number"}, map[string]any{"type": "boolean"}, money}},
	}
}
