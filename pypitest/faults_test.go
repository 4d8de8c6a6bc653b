package pypitest

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// post sends a form without failing the test on a transport error.
func trySend(t *testing.T, srv *Server, f *testForm) (*http.Response, error) {
	ctype, body := f.body()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/legacy/", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", tokenAuth(uploadToken))
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestFailUploads(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	srv.FailUploads(2, HTMLReply(503))
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	for i, want := range []int{503, 503, 200} {
		resp, err := trySend(t, srv, newTestForm(name, content))
		if err != nil || resp.StatusCode != want {
			t.Fatalf("upload %d: %v %v, want %d", i+1, resp, err, want)
		}
	}
	if ups := srv.Uploads(); len(ups) != 3 || ups[0].Status != 503 || ups[2].Status != 200 || len(srv.Files()) != 1 {
		t.Errorf("uploads %+v", ups)
	}
}

func TestResetUploads(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	srv.ResetUploads(1, 100)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	if _, err := trySend(t, srv, newTestForm(name, content)); err == nil {
		t.Fatal("the connection was not cut")
	}
	if resp, err := trySend(t, srv, newTestForm(name, content)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("second upload: %v %v", resp, err)
	}
	if ups := srv.Uploads(); len(ups) != 2 || ups[0].Status != 0 || len(srv.Files()) != 1 {
		t.Errorf("uploads %+v", ups)
	}
}

func TestLoseUploadResponses(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	srv.LoseUploadResponses(1)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	if _, err := trySend(t, srv, newTestForm(name, content)); err == nil {
		t.Fatal("the upload got an answer")
	}
	if _, ok := srv.File(name); !ok {
		t.Error("the file was not stored")
	}
}

func TestLatencyAndBandwidth(t *testing.T) {
	t.Parallel()
	srv := newIndexServer(t)
	name, content := Dist{Name: "demo", Version: "1.0"}.Build()
	srv.SetLatency(100 * time.Millisecond)
	start := time.Now()
	if resp, _ := fetch(t, srv, "/simple/demo/", ""); resp.StatusCode != 404 || time.Since(start) < 100*time.Millisecond {
		t.Errorf("answer %s after %v, want 404 after 100ms", resp.Status, time.Since(start))
	}
	srv.SetLatency(0)
	body := int64(len(content) + 2000) // the form around it is < 2000 bytes
	srv.SetBandwidth(body * 4)         // about a quarter of a second
	start = time.Now()
	if resp, err := trySend(t, srv, newTestForm(name, content)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", resp, err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("throttled upload took %v, want about 250ms", d)
	}
}
