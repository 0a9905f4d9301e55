package report

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"sort"
	"strconv"
)

// fpdf compresses each page with a new zlib writer, whose tables cost
// about half a megabyte to allocate and clear: at COP scale (3,000 pages)
// that was a third of the full PDF's CPU time. So fpdf writes the pages
// plain and compressPages deflates them all with one writer, then moves
// the cross-reference table's offsets by what each page shrank.

// pageStreamHead is how fpdf opens an uncompressed page's content: the
// only streams whose dictionary holds nothing but their length.
var pageStreamHead = []byte(" 0 obj\n<</Length ")

// compressPages deflates the plain page streams of a PDF fpdf wrote and
// rewrites its cross-reference table to match.
func compressPages(pdf []byte) ([]byte, error) {
	out := bytes.NewBuffer(make([]byte, 0, len(pdf)/3))
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	// shifts records, at the end of each rewritten stream in the input,
	// how far everything after it has moved.
	type shift struct{ at, by int }
	var shifts []shift
	pos := 0
	for {
		i := bytes.Index(pdf[pos:], pageStreamHead)
		if i < 0 {
			break
		}
		head := pos + i + len(pageStreamHead)
		end := 0 // the length's digits
		for head+end < len(pdf) && pdf[head+end] >= '0' && pdf[head+end] <= '9' {
			end++
		}
		if !bytes.HasPrefix(pdf[head+end:], []byte(">>\nstream\n")) {
			// A stream with more in its dictionary (a font file, already
			// deflated): copied as it is.
			out.Write(pdf[pos:head])
			pos = head
			continue
		}
		n, err := strconv.Atoi(string(pdf[head : head+end]))
		if err != nil || head+end+10+n+10 > len(pdf) || !bytes.HasPrefix(pdf[head+end+10+n:], []byte("\nendstream")) {
			return nil, fmt.Errorf("pdf: unexpected page stream at %d", pos+i)
		}
		data := pdf[head+end+10 : head+end+10+n]
		z.Reset()
		zw.Reset(&z)
		if _, err := zw.Write(data); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		out.Write(pdf[pos : pos+i])
		fmt.Fprintf(out, " 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", z.Len())
		out.Write(z.Bytes())
		pos = head + end + 10 + n
		shifts = append(shifts, shift{at: pos, by: out.Len() - pos})
	}
	out.Write(pdf[pos:])
	moved := func(offset int) int {
		// The last stream that ends at or before offset says how far it moved.
		k := sort.Search(len(shifts), func(k int) bool { return shifts[k].at > offset })
		if k == 0 {
			return offset
		}
		return offset + shifts[k-1].by
	}
	return rewriteXref(out.Bytes(), moved)
}

// rewriteXref moves every offset of the cross-reference table, and the
// table's own, as moved says.
func rewriteXref(pdf []byte, moved func(int) int) ([]byte, error) {
	sx := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if sx < 0 {
		return nil, fmt.Errorf("pdf: no startxref")
	}
	tail := pdf[sx+len("\nstartxref\n"):]
	nl := bytes.IndexByte(tail, '\n')
	old, err := strconv.Atoi(string(tail[:max(nl, 0)]))
	if nl < 0 || err != nil {
		return nil, fmt.Errorf("pdf: bad startxref")
	}
	xref := moved(old)
	if xref >= len(pdf) || !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		return nil, fmt.Errorf("pdf: no xref table at %d", xref)
	}
	line := bytes.IndexByte(pdf[xref+len("xref\n0 "):], '\n')
	count, err := strconv.Atoi(string(pdf[xref+len("xref\n0 ") : xref+len("xref\n0 ")+max(line, 0)]))
	if line < 0 || err != nil {
		return nil, fmt.Errorf("pdf: bad xref header")
	}
	entries := xref + len("xref\n0 ") + line + 1
	const entryLen = 20 // "0000000123 00000 n \n"
	if entries+count*entryLen > sx {
		return nil, fmt.Errorf("pdf: short xref table")
	}
	for j := 1; j < count; j++ {
		e := pdf[entries+j*entryLen : entries+(j+1)*entryLen]
		o, err := strconv.Atoi(string(e[:10]))
		if err != nil {
			return nil, fmt.Errorf("pdf: bad xref entry %d", j)
		}
		copy(e[:10], fmt.Sprintf("%010d", moved(o)))
	}
	out := append([]byte(nil), pdf[:sx]...)
	return fmt.Appendf(out, "\nstartxref\n%d\n%s", xref, tail[nl+1:]), nil
}
