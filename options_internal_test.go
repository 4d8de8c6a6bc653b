package pypi

import (
	"strings"
	"testing"
	"time"
)

func TestResolveTimeout(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		given time.Duration
		env   string
		want  time.Duration
		err   bool
	}{
		{0, "", 60 * time.Second, false},
		{0, "5", 5 * time.Second, false},
		{0, "+7", 7 * time.Second, false},
		{0, "0120", 120 * time.Second, false},
		{3 * time.Second, "5", 3 * time.Second, false}, // the option wins
		{-1, "5", -1, false},                           // no timeout
		{0, "0", 0, true},
		{0, "1.5", 0, true},
		{0, " 5", 0, true},
		{0, "-5", 0, true},
		{0, "++5", 0, true},
		{0, "+", 0, true},
		{0, "5s", 0, true},
		{0, "99999999999", 0, true},
	} {
		o := Options{Timeout: tt.given, Getenv: func(k string) string {
			if k == "UV_HTTP_TIMEOUT" {
				return tt.env
			}
			return ""
		}}
		err := o.resolveTimeout()
		switch {
		case tt.err && (err == nil || !strings.Contains(err.Error(), `UV_HTTP_TIMEOUT "`+tt.env+`"`)):
			t.Errorf("%v, %q: err = %v; want one naming the variable and its value", tt.given, tt.env, err)
		case !tt.err && (err != nil || o.Timeout != tt.want):
			t.Errorf("%v, %q: Timeout = %v, %v; want %v", tt.given, tt.env, o.Timeout, err, tt.want)
		}
	}
}
