package pypitest

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServerReplies(t *testing.T) {
	t.Parallel()
	f := newFixture(t, GitHubRun{})
	for _, tc := range []struct {
		name            string
		set             func(*Reply)
		do              func() (*http.Response, error)
		reply           *Reply
		wantContentType string
	}{
		{"audience 503 HTML", f.srv.setAudienceReply, f.getAudience, HTMLReply(503), "text/html; charset=utf-8"},
		{"audience 404", f.srv.setAudienceReply, f.getAudience, &Reply{Status: 404, ContentType: "text/plain; charset=utf-8", Body: "Not Found"}, "text/plain; charset=utf-8"},
		{"audience 599", f.srv.setAudienceReply, f.getAudience, &Reply{Status: 599}, ""},
		{"audience 200 not JSON", f.srv.setAudienceReply, f.getAudience, &Reply{Body: "<html>"}, ""},
		{"audience 200 without audience", f.srv.setAudienceReply, f.getAudience, JSONReply(200, `{}`), "application/json"},
		{"mint 502 HTML", f.srv.SetMintReply, f.postMint, HTMLReply(502), "text/html; charset=utf-8"},
		{"mint 200 without token", f.srv.SetMintReply, f.postMint, JSONReply(200, `{"success": true}`), "application/json"},
		{"mint 422 without errors", f.srv.SetMintReply, f.postMint, JSONReply(422, `{"message": "Token request failed"}`), "application/json"},
	} {
		tc.set(tc.reply)
		resp, err := tc.do()
		if err != nil {
			t.Fatal(err)
		}
		status, body := readResponse(t, resp)
		want := tc.reply.Status
		if want == 0 {
			want = 200
		}
		if status != want || body != tc.reply.Body || resp.Header.Get("Content-Type") != tc.wantContentType {
			t.Errorf("%s: got %d %q (Content-Type %q)", tc.name, status, body, resp.Header.Get("Content-Type"))
		}
		tc.set(nil)
	}
	// Normal service is back.
	if _, body := getBody(t, f.srv.Client(), f.srv.URL+audiencePath); body != `{"audience": "pypi"}` {
		t.Errorf("audience after the replies: %s", body)
	}
	if status, body := f.mint(t, f.iss.Token("pypi")); status != 200 {
		t.Errorf("mint after the replies: %d %s", status, body)
	}
}

func (f fixture) getAudience() (*http.Response, error) {
	return f.srv.Client().Get(f.srv.URL + audiencePath)
}

func (f fixture) postMint() (*http.Response, error) {
	return f.srv.Client().Post(f.srv.URL+mintTokenPath, "application/json", strings.NewReader(`{"token": "x"}`))
}

// A Reply's Delay holds the answer back, on the server's and the issuer's
// endpoints alike, but only until the client gives up: were it not so,
// closing the fakes at the end of the test would wait out the minute.
func TestReplyDelayHonoursClientTimeout(t *testing.T) {
	t.Parallel()
	delay := &Reply{Delay: time.Minute}
	srv, iss := NewServer(), NewIssuer()
	t.Cleanup(srv.Close)
	t.Cleanup(iss.Close)
	srv.setAudienceReply(delay)
	iss.setTokenReply(delay)
	for _, tc := range []struct {
		client *http.Client
		url    string
	}{{srv.Client(), srv.URL + audiencePath}, {iss.Client(), iss.tokenURL()}} {
		tc.client.Timeout = 50 * time.Millisecond
		if _, err := tc.client.Get(tc.url); err == nil {
			t.Errorf("%s: answered within the delay", tc.url)
		}
	}
}

// A Server serves until Close, after which requests are refused; a
// second Close is harmless.
func TestServerClose(t *testing.T) {
	t.Parallel()
	srv := NewServer()
	resp, err := srv.Client().Get(srv.URL + audiencePath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("before Close: %s, want 200", resp.Status)
	}
	srv.Close()
	srv.Close()
	if _, err := srv.Client().Get(srv.URL + audiencePath); err == nil {
		t.Error("a closed server answered")
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	c := NewClock(testEpoch)
	c.Advance(time.Hour)
	if !c.Now().Equal(testEpoch.Add(time.Hour)) {
		t.Errorf("Now() = %v after Advance", c.Now())
	}
	c.Advance(-time.Minute)
	if !c.Now().Equal(testEpoch.Add(59 * time.Minute)) {
		t.Errorf("Now() = %v after going back a minute", c.Now())
	}
}

// WithListener serves on the caller's listener, at the address it chose.
func TestWithListener(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(WithListener(ln))
	t.Cleanup(s.Close)
	if want := "http://" + ln.Addr().String(); s.URL != want {
		t.Errorf("URL = %q, want %q", s.URL, want)
	}
	resp, err := s.Client().Get(s.URL + "/_/oidc/audience")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"audience"`) {
		t.Errorf("audience on the chosen listener: %d %s", resp.StatusCode, body)
	}
	s.Close()
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("the listener is still open after Close")
	}
}
