package report

import (
	"strings"

	"github.com/parley/parley/domain"
)

// Threads are the arguments around a topic's demands: each demand that
// drew a counter-demand or a bridging proposal, the responses (and the
// responses to them), and who endorsed or objected to each — "demand →
// counter / bridging proposal → who endorsed / objected". domain decides
// what a response is (domain.BuildThreads); this file words it.

// Thread is a demand and the responses it drew.
type Thread struct {
	DemandID string        `json:"demand_id"`
	Demand   string        `json:"demand"`
	Party    string        `json:"party"`
	Replies  []ThreadReply `json:"replies"`
}

// ThreadReply is one response in a thread. Depth is 1 for a response to
// the thread's demand, 2 for a response to that response, and so on;
// Kind is "counter" or "bridging", KindLabel its words; Answers is the
// title of the demand it answers, AnswersID its id.
type ThreadReply struct {
	DemandID  string            `json:"demand_id"`
	Title     string            `json:"title"`
	Party     string            `json:"party"`
	Kind      string            `json:"kind"`
	KindLabel string            `json:"kind_label"`
	Depth     int               `json:"depth"`
	Status    string            `json:"status"`
	Answers   string            `json:"answers"`
	AnswersID string            `json:"answers_id"`
	Endorsed  []string          `json:"endorsed_by"`
	Objected  []ThreadObjection `json:"objected_by"`
}

// ThreadObjection is a party's objection to a response.
type ThreadObjection struct {
	Party  string `json:"party"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
}

// words is the objection as a thread names it: "Russia (rejection,
// standing)".
func (o ThreadObjection) words() string {
	return o.Party + " (" + humanize(o.Kind) + ", " + humanize(o.Status) + ")"
}

func reportThreads(ix domain.SnapshotIndex, topicID string) []Thread {
	out := []Thread{}
	demands := ix.TopicDemands(topicID)
	titles := make(map[string]string, len(demands))
	for _, d := range demands {
		titles[d.ID] = d.Title
	}
	for _, t := range domain.BuildThreads(ix.Snapshot().Negotiation, demands) {
		th := Thread{DemandID: t.Root.ID, Demand: t.Root.Title, Party: ix.PartyName(t.Root.PartyID), Replies: []ThreadReply{}}
		for _, r := range t.Replies {
			reply := ThreadReply{DemandID: r.Demand.ID, Title: r.Demand.Title, Party: ix.PartyName(r.Demand.PartyID), Kind: r.Link.Kind,
				KindLabel: domain.ResponseKindLabel(r.Link.Kind), Depth: r.Depth, Status: string(r.Demand.State), Answers: titles[r.Link.RespondsToID], AnswersID: r.Link.RespondsToID,
				Endorsed: []string{}, Objected: []ThreadObjection{}}
			for _, e := range byStatedOn(ix.Endorsements(r.Demand.ID), func(e *domain.Endorsement) (string, string) { return e.StatedOn, e.ID }) {
				reply.Endorsed = append(reply.Endorsed, ix.PartyName(e.PartyID))
			}
			for _, o := range byStatedOn(ix.Objections(r.Demand.ID), func(o *domain.Objection) (string, string) { return o.StatedOn, o.ID }) {
				reply.Objected = append(reply.Objected, ThreadObjection{Party: ix.PartyName(o.PartyID), Kind: string(o.Type), Status: string(o.State)})
			}
			th.Replies = append(th.Replies, reply)
		}
		out = append(out, th)
	}
	return out
}

// threadLine is one line of a thread as the text formats print it.
type threadLine struct {
	Depth int
	Text  string
}

// threadLines words a topic's threads, one line per demand: "Israel:
// «A six-week pause only»", then "→ United States, bridging proposal:
// «Three-phase framework» — endorsed by Hamas; objected to by Israel
// (condition, standing)".
func threadLines(t Topic) []threadLine {
	var out []threadLine
	for _, th := range t.Threads {
		out = append(out, threadLine{Text: th.Party + ": «" + th.Demand + "»"})
		for _, r := range th.Replies {
			text := strings.Repeat("→ ", r.Depth) + r.Party + ", " + r.KindLabel + ": «" + r.Title + "» (" + humanize(r.Status) + ")"
			var reactions []string
			if len(r.Endorsed) > 0 {
				reactions = append(reactions, "endorsed by "+strings.Join(r.Endorsed, ", "))
			}
			if len(r.Objected) > 0 {
				var objs []string
				for _, o := range r.Objected {
					objs = append(objs, o.words())
				}
				reactions = append(reactions, "objected to by "+strings.Join(objs, ", "))
			}
			if len(reactions) > 0 {
				text += " — " + strings.Join(reactions, "; ")
			}
			out = append(out, threadLine{Depth: r.Depth, Text: text})
		}
	}
	return out
}

// writeMarkdownThreads prints a topic's threads as a nested list.
func writeMarkdownThreads(p func(string, ...any), t Topic) {
	lines := threadLines(t)
	if len(lines) == 0 {
		return
	}
	p("**Threads:**\n\n")
	for _, l := range lines {
		p("%s- %s\n", strings.Repeat("  ", l.Depth), md(l.Text))
	}
	p("\n")
}

// responsesOf finds, by demand id, the responses among a report's
// threads: what each answers and how.
func responsesOf(r *Report) map[string]ThreadReply {
	out := map[string]ThreadReply{}
	for _, t := range r.Topics {
		for _, th := range t.Threads {
			for _, reply := range th.Replies {
				out[reply.DemandID] = reply
			}
		}
	}
	return out
}

// threadsSheet lists every response in the report's threads, one row
// each, beside the thread's demand and the demand it answers.
func threadsSheet(r *Report) sheetTable {
	var rows [][]any
	for _, t := range r.Topics {
		for _, th := range t.Threads {
			for _, reply := range th.Replies {
				var objected []string
				for _, o := range reply.Objected {
					objected = append(objected, o.words())
				}
				rows = append(rows, []any{t.Title, th.Party, th.Demand, reply.Depth, reply.Party, reply.KindLabel, reply.Title,
					humanize(reply.Status), reply.Answers, strings.Join(reply.Endorsed, ", "), strings.Join(objected, ", ")})
			}
		}
	}
	return sheetTable{name: "Threads", columns: []string{"Topic", "Thread's party", "Thread's demand", "Depth", "Responding party",
		"Response", "Title", "Status", "Answers", "Endorsed by", "Objected to by"}, rows: rows}
}
