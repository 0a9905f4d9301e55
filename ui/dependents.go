package ui

import (
	"fmt"
	"strings"

	"github.com/parley/parley/domain"
)

// countRefs counts records by kind in words: "4 endorsements and 1
// objection"; "" for none.
func countRefs(refs []domain.Ref) string {
	var kinds []domain.Kind
	n := map[domain.Kind]int{}
	for _, r := range refs {
		if n[r.Kind] == 0 {
			kinds = append(kinds, r.Kind)
		}
		n[r.Kind]++
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		if n[k] == 1 {
			parts[i] = "1 " + k.Singular()
		} else {
			parts[i] = fmt.Sprintf("%d %s", n[k], k)
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
