package store

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/parley/parley/domain"
)

// batchChunk is how many rows one multi-row INSERT of a batch carries:
// few statements for thousands of rows, and far below the parameters a
// statement may bind (PostgreSQL 65,535, SQLite 32,766: a demand binds
// 12 per row, a revision 11).
const batchChunk = 500

// batchRows gathers the rows of a CreateMany whose checks are done, so
// that they reach the database as a few multi-row INSERTs rather than two
// statements a resource: on PostgreSQL each statement is a round trip,
// and thousands of them cost seconds. It holds one kind at a time, so a
// row is always written after the rows it refers to (an objection after
// its demand).
type batchRows struct {
	table     table
	resources []domain.Resource
	bodies    []string
	indexes   []int // each resource's place in the batch, to name it on failure
	revisions []revisionRow
	// seen are the ids the batch has written or is about to.
	seen map[string]bool
}

// gathers reports whether r may wait in the batch: a resource whose
// checks read nothing of the rows the batch has yet to write. A demand,
// objection or endorsement reads only what the reference cache holds
// of the batch's own rows; a demand answering another reads the stored
// demands, and any other kind reads or claims stored rows of its own.
func gathers(r domain.Resource) bool {
	switch v := r.(type) {
	case *domain.Demand:
		return v.RespondsToID == ""
	case *domain.Objection, *domain.Endorsement:
		return true
	}
	return false
}

// add takes a checked resource, its encoded body and its create revision.
// The caller flushes first when the kind changes.
func (b *batchRows) add(t table, index int, r domain.Resource, body []byte, rev revisionRow) {
	b.table = t
	b.resources = append(b.resources, r)
	b.bodies = append(b.bodies, string(body))
	b.indexes = append(b.indexes, index)
	b.revisions = append(b.revisions, rev)
}

// gather is createIn's hand-off of the resource at index i of the batch.
func (b *batchRows) gather(i int) func(table, domain.Resource, []byte, revisionRow) {
	return func(t table, r domain.Resource, body []byte, rev revisionRow) { b.add(t, i, r, body, rev) }
}

// holdsOther reports whether rows of another table than t are waiting.
func (b *batchRows) holdsOther(t table) bool {
	return len(b.resources) > 0 && b.table.name != t.name
}

func (b *batchRows) full() bool { return len(b.resources) >= batchChunk }

// flush writes every waiting row, then their revisions. A broken
// constraint is the problem of the first resource of the statement that
// broke it, as a *domain.BatchError: PostgreSQL runs nothing more in the
// transaction after it.
func (b *batchRows) flush(tx *gorm.DB) error {
	if len(b.resources) == 0 {
		return nil
	}
	defer b.reset()
	for start := 0; start < len(b.resources); start += batchChunk {
		end := min(start+batchChunk, len(b.resources))
		if err := b.checkTaken(tx, start, end); err != nil {
			return err
		}
		if err := insertRows(tx, b.table, b.resources[start:end], b.bodies[start:end]); err != nil {
			werr := writeError(err, b.resources[start])
			var conf *domain.ConflictError
			if errors.As(werr, &conf) {
				return &domain.BatchError{Items: []domain.BatchItemError{{Index: b.indexes[start], Err: werr}}}
			}
			return werr
		}
	}
	for start := 0; start < len(b.revisions); start += batchChunk {
		if err := addRevisions(tx, b.revisions[start:min(start+batchChunk, len(b.revisions))]); err != nil {
			return err
		}
	}
	return nil
}

// checkTaken names every resource of rows start to end whose id (chosen
// by the caller) is already stored or comes twice in the batch, before
// the insert: a broken key would otherwise be told of the statement, not
// of the row.
func (b *batchRows) checkTaken(tx *gorm.DB, start, end int) error {
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	ids := make([]string, 0, end-start)
	for _, r := range b.resources[start:end] {
		ids = append(ids, r.Base().ID)
	}
	stored, err := scanStrings(tx, "SELECT id FROM "+b.table.name+" WHERE id IN ("+placeholders(len(ids))+")", anys(ids)...)
	if err != nil {
		return fmt.Errorf("store: check ids: %w", err)
	}
	taken := make(map[string]bool, len(stored))
	for _, id := range stored {
		taken[id] = true
	}
	var batch domain.BatchError
	for i := start; i < end; i++ {
		id := b.resources[i].Base().ID
		if taken[id] || b.seen[id] {
			batch.Items = append(batch.Items, domain.BatchItemError{Index: b.indexes[i], Err: duplicateError(b.resources[i])})
		}
		b.seen[id] = true
	}
	if len(batch.Items) > 0 {
		return &batch
	}
	return nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (b *batchRows) reset() {
	b.resources, b.bodies, b.indexes, b.revisions = b.resources[:0], b.bodies[:0], b.indexes[:0], b.revisions[:0]
}

// insertRows inserts resources of one table, whose Meta is set, in one
// statement, as insertRow does one.
func insertRows(tx *gorm.DB, t table, rs []domain.Resource, bodies []string) error {
	cols := append([]string{"id", "version", "created_at", "updated_at"}, t.cols...)
	cols = append(cols, "search", "body")
	row := "(" + placeholders(len(cols)) + ")"
	args := make([]any, 0, len(rs)*len(cols))
	for i, r := range rs {
		m := r.Base()
		args = append(args, m.ID, m.Version, m.CreatedAt, m.UpdatedAt)
		args = append(args, values(r)...)
		args = append(args, r.SearchText(), bodies[i])
	}
	q := "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", len(rs)), ", ")
	return tx.Exec(q, args...).Error
}

// addRevisions records revisions in one statement, as addRevision does one.
func addRevisions(tx *gorm.DB, revs []revisionRow) error {
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	args := make([]any, 0, len(revs)*11)
	for _, r := range revs {
		cols, err := revisionArgs(r)
		if err != nil {
			return err
		}
		args = append(args, cols...)
	}
	q := "INSERT INTO revisions (resource_type, resource_id, revision, action, actor, at, negotiation_id, body, effective_at, change_note, change_citations) VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", len(revs)), ", ")
	if err := tx.Exec(q, args...).Error; err != nil {
		return fmt.Errorf("store: record create revisions: %w", err)
	}
	return nil
}

// joinBatch is err, joined to the problems found so far when it is one of
// the batch's too: flushing stops the batch, and what was found before
// is still to be told.
func joinBatch(b *domain.BatchError, err error) error {
	var more *domain.BatchError
	if errors.As(err, &more) {
		b.Items = append(b.Items, more.Items...)
		return b
	}
	if err != nil {
		return err
	}
	if len(b.Items) > 0 {
		return b
	}
	return nil
}
