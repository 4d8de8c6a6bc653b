package dist

import (
	"bytes"
	"testing"
)

// A small archive is read whole, once; a large one, or one that reads
// short, is left to be read a record at a time.
func TestWholeSmallFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		content   int64 // bytes there are
		size      int64 // bytes announced
		inMemory  bool
		wantReads int
	}{
		{"small", 1000, 1000, true, 1},
		{"at the limit", smallFile, smallFile, true, 1},
		{"large", smallFile + 1, smallFile + 1, false, 0},
		{"shorter than announced", 10, 20, false, 1},
		{"empty", 0, 0, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data := bytes.Repeat([]byte{'x'}, int(tc.content))
			c := &countingReaderAt{r: bytes.NewReader(data)}
			got := whole(c, tc.size)
			if _, isMem := got.(*bytes.Reader); isMem != tc.inMemory || c.reads != tc.wantReads {
				t.Fatalf("in memory %v after %d reads, want %v after %d", isMem, c.reads, tc.inMemory, tc.wantReads)
			}
			buf := make([]byte, tc.content)
			if n, _ := got.ReadAt(buf, 0); int64(n) != tc.content || !bytes.Equal(buf, data) {
				t.Errorf("read back %d bytes, want the %d there are", n, tc.content)
			}
		})
	}
}
