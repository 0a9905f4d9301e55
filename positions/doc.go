// Package positions imports a negotiation's positions (demands, objections
// and endorsements) from a spreadsheet, CSV or XLSX, and writes the
// template to fill in. It reads a workbook, resolves every name in it
// (parties, topics, rounds, demands) against the negotiation in memory,
// names every bad cell by row and column, and writes all rows in one
// batch, or none.
package positions
