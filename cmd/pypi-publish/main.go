// Command pypi-publish uploads Python distributions (wheels and sdists) to
// PyPI or any index with the legacy upload API, by Trusted Publishing when
// it runs in CI and no credentials are given. Every file is checked, by
// PyPI's rules for PyPI, before the first byte is sent.
//
// Usage:
//
//	pypi-publish [flags] [PATH ...]
//
// PATH is a file, a directory or a glob pattern (default dist). The flags
// and variables are twine upload's and uv publish's, so that their
// command lines run unchanged: -r/--repository with a .pypirc
// (--config-file, TWINE_REPOSITORY), --repository-url or --publish-url
// (TWINE_REPOSITORY_URL, UV_PUBLISH_URL), --index (a [[tool.uv.index]] of
// pyproject.toml), --check-url, -u/--username, -p/--password and
// -t/--token (TWINE_USERNAME, TWINE_PASSWORD, UV_PUBLISH_*; the username
// defaults to __token__, making the password an API token),
// --trusted-publishing automatic|always|never, --skip-existing (which, as
// twine's, also skips a file the index has with other bytes, with a
// warning; --strict-existing refuses it), --attestations,
// --no-attestations, --cert, --client-cert, -c/--comment, -v/--verbose,
// --non-interactive and --disable-progress-bar. Its own are
// --verify-metadata=false, --checks, --concurrency, --print-hash,
// --dry-run (check the files and print the exact form fields, without
// credentials or upload), --json (one JSON document on stdout) and
// --timeout SECONDS (how long a network request may connect or go without
// progress; default 60, or UV_HTTP_TIMEOUT). Flags may follow the paths.
// Under Trusted Publishing to PyPI or TestPyPI it signs a PEP 740 publish
// attestation for each file with Sigstore, writes it beside the file and
// uploads it (--no-attestations: none); --fulcio-url, --rekor-url and
// --sigstore-trusted-root point it at another Sigstore, such as
// pypitest-server -sigstore's fake.
// GPG signing (-s, --sign, --sign-with, --identity) is refused: PyPI no
// longer accepts signatures.
//
// It is also a GitHub Action (action.yml at the repository root): under GitHub Actions
// it reads the inputs of pypa/gh-action-pypi-publish (user, password,
// repository-url, packages-dir, verify-metadata, skip-existing, verbose,
// print-hash, attestations) from INPUT_* variables, masks every secret
// before printing anything, groups its log, reports problems as
// annotations on the files, writes a job summary and sets the outputs
// "files" (the files on the index, one a line), "urls" (where to see
// them), "attestations" (the attestation files written) and "log-entries"
// (their Rekor entries). It prints the action's messages where the action would: a
// missing id-token permission, a pull request from a fork, a reusable
// workflow, no distributions, a password for PyPI, and the link that
// creates a trusted publisher.
//
// "pypi-publish verify --trusted-root FILE --repository OWNER/REPO DIST..."
// verifies the PEP 740 attestations beside each DIST offline, as PyPI
// does (see pypi-publish verify -h).
//
// The exit status is 0 on success, 1 on failure and 2 for a bad command
// line. SIGINT or SIGTERM stops the run (a second one ends it at once):
// the exit status is then 130 or 143, as a shell reports it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/dist"
	"github.com/trustpub/pypi/internal/gha"
	"golang.org/x/term"
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := (<-sigs).(syscall.Signal)
		signal.Stop(sigs) // a second signal ends the program at once
		cancel(interrupted{sig})
		fmt.Fprintf(os.Stderr, "pypi-publish: %s: stopping\n", signalName(sig))
		// Uploads end as soon as ctx is cancelled; a read that cannot be
		// cancelled gets a moment, not forever.
		time.AfterFunc(gracePeriod, func() { os.Exit(128 + int(sig)) })
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, isTerminal(os.Stderr))
	var in interrupted
	if errors.As(context.Cause(ctx), &in) {
		code = 128 + int(in.sig) // as a shell reports a program a signal ended
	}
	os.Exit(code)
}

// gracePeriod is how long the program may take to stop after SIGINT or
// SIGTERM.
const gracePeriod = 5 * time.Second

// interrupted is the cause of the cancellation when a signal arrives.
type interrupted struct{ sig syscall.Signal }

func (e interrupted) Error() string { return "interrupted by " + signalName(e.sig) }

// signalName names SIGINT and SIGTERM as shells do.
func signalName(sig syscall.Signal) string {
	if sig == syscall.SIGINT {
		return "SIGINT"
	}
	return "SIGTERM"
}

// isTerminal reports whether f is a terminal, which can show redrawn
// progress bars. A character device is not enough: /dev/null is one,
// and redrawing bars into it costs time for nothing.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// run is the command; it returns the exit status. Progress bars go to
// stderr when terminal is set.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, terminal bool) int {
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(args[1:], stdout, stderr, getenv)
	}
	inActions := getenv("GITHUB_ACTIONS") == "true"
	c, err := parseConfig(args, getenv, gha.New(io.Discard, getenv, inActions), gha.New(stderr, getenv, false).Writer())
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	}
	logTo := stdout // the log: human lines and workflow commands
	if c.json {
		logTo = stderr
	}
	r := gha.New(logTo, getenv, inActions)
	// Everything but the runner's own commands goes through r.Writer,
	// which makes the text of indexes and files safe to print.
	out := r.Writer()
	bars := terminal && !inActions && !c.json && !c.noProgress
	prog := newProgress(out, false)
	if bars {
		prog = newProgress(stderr, true)
	}
	p := &publisher{c: c, r: r, out: out, stdout: stdout, act: &action{r: r, c: c, getenv: getenv},
		prog: prog, masked: map[string]bool{}}
	// Mask every secret before anything else is printed.
	for _, secret := range []string{c.password, c.token, getenv("TWINE_PASSWORD"), r.Input("password"), c.urlPassword(), getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")} {
		p.mask(secret)
	}
	return p.run(ctx)
}

// publisher runs one publish and reports it.
type publisher struct {
	c      *config
	r      *gha.Runner
	out    io.Writer // the log, through the runner's sanitising Writer
	stdout io.Writer // for --json
	act    *action
	prog   *progress

	mu       sync.Mutex
	masked   map[string]bool
	group    string // the open log group
	hashHead bool   // the print-hash header was printed
}

func (p *publisher) run(ctx context.Context) int {
	if p.c.action && !p.act.before() {
		p.r.Summary("## " + passwordNudgeTitle + "\n\n" + passwordNudge + "\n")
		return 1
	}
	if p.c.action && p.act.attesting() && p.act.attestationsExist() {
		return 1
	}
	opts := p.c.options()
	opts.Masker = p.mask
	opts.Events = p.event
	opts.Getenv = p.act.getenv
	level := slog.LevelWarn
	if p.c.verbose {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(p.out, &slog.HandlerOptions{Level: level}))

	results, err := pypi.Publish(ctx, opts)
	p.setGroup("")
	if p.c.dryRun && err == nil {
		for i := range results {
			printForm(p.out, &results[i], p.c.displayURL())
		}
	}
	if err == nil && ctx.Err() != nil {
		// Interrupted after the last check or upload: never a success.
		err = fmt.Errorf("pypi-publish: %w", context.Cause(ctx))
	}
	p.report(results, err)
	if p.r.Enabled() {
		p.writeActionFiles(results)
	}
	if p.c.json {
		if jerr := writeJSON(p.stdout, results, p.c.displayURL(), p.c.dryRun, err); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil {
		return 1
	}
	return 0
}

// mask hides secret from the log, once.
func (p *publisher) mask(secret string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.masked[secret] {
		p.masked[secret] = true
		p.r.Mask(secret)
	}
}

// writeActionFiles writes the job summary and the step outputs: files
// (on the index, one a line), urls (where to see them), attestations and
// log-entries (see attestationOutputs).
func (p *publisher) writeActionFiles(results []pypi.Result) {
	var files, urls []string
	for _, r := range results {
		if r.Outcome.OK() {
			files = append(files, gha.Line(r.File))
			if u := gha.Line(r.URL); !slices.Contains(urls, u) {
				urls = append(urls, u)
			}
		}
	}
	atts, entries := attestationOutputs(results, p.c.rekorURL())
	for _, err := range []error{
		p.r.Summary(summary(results, p.c.displayURL(), p.c.dryRun) + attestationSummary(results, p.c.rekorURL())),
		p.r.SetOutput("files", strings.Join(files, "\n")),
		p.r.SetOutput("urls", strings.Join(urls, "\n")),
		p.r.SetOutput("attestations", atts),
		p.r.SetOutput("log-entries", entries),
	} {
		if err != nil {
			p.r.Warning(gha.Annotation{}, err.Error())
		}
	}
}

// setGroup closes the open log group and opens title ("" for none).
func (p *publisher) setGroup(title string) {
	if p.group == title {
		return
	}
	if p.group != "" {
		p.r.EndGroup()
	}
	if title != "" {
		p.r.Group(title)
	}
	p.group = title
}

// event reports one step of pypi.Publish.
func (p *publisher) event(e pypi.Event) {
	if e.Kind == pypi.EventKindSending {
		p.prog.sending(e.File, e.Attempt, e.Sent, e.Total)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e.Kind {
	case pypi.EventKindChecked:
		p.setGroup("Checking distributions")
		p.prog.checked(e.File, e.Result.Size)
		p.checked(e.Result)
	case pypi.EventKindWarning:
		if p.r.Enabled() {
			p.act.warning(e)
		} else {
			fmt.Fprintf(p.out, "warning: %s: %s\n", e.Title, warningText(e))
		}
	case pypi.EventKindAuthenticated:
		p.setGroup("Uploading distributions to " + p.c.displayURL())
		fmt.Fprintf(p.out, "Credentials: %s\nUploading distributions to %s\n", e.Message, p.c.displayURL())
		if p.c.action && p.act.attesting() && e.Message == "trusted publishing" {
			p.r.Notice(gha.Annotation{}, attestationsNotice)
		}
	case pypi.EventKindAttested:
		p.attested(e.Result)
	case pypi.EventKindDone:
		r := e.Result
		p.prog.done(r.File, r.Outcome.String())
		if m := r.Mismatch; m != nil {
			p.mismatchSkipped(r.Path, m)
		}
		p.response(r)
		if !p.prog.terminal {
			fmt.Fprintf(p.out, "%s: %s\n", r.File, r.Outcome)
		}
	}
}

// checked reports a file's checks: twine check's verdict, each problem
// (an annotation on the file under GitHub Actions) and, if asked, its
// digests.
func (p *publisher) checked(r *pypi.Result) {
	fmt.Fprintln(p.out, checkLine(r))
	for _, pr := range r.Problems {
		a := gha.Annotation{Title: pr.Field, File: r.Path}
		switch {
		case p.r.Enabled() && pr.Severity == dist.SeverityError:
			p.r.Error(a, pr.Message)
		case p.r.Enabled():
			p.r.Warning(a, pr.Message)
		default:
			fmt.Fprintf(p.out, "  %v\n", pr)
		}
	}
	if r.Err != nil && len(r.Problems) == 0 {
		fmt.Fprintf(p.out, "  %s\n", errorText(r.Err))
	}
	if p.c.printHash && r.Kind != 0 {
		if !p.hashHead {
			fmt.Fprintln(p.out, "Showing hash values of files to be uploaded:")
			p.hashHead = true
		}
		printHash(p.out, r)
	}
}

// report prints the end of the run: where to see the files, or what
// went wrong, in the action's words where it has them.
func (p *publisher) report(results []pypi.Result, err error) {
	var tpe *pypi.TrustedPublishingError
	var ae *pypi.AttestationError
	var fe *pypi.FilesError
	switch {
	case err == nil:
		var urls []string
		for _, r := range results {
			if r.URL != "" && !slices.Contains(urls, r.URL) {
				urls = append(urls, r.URL)
			}
		}
		if len(urls) > 0 {
			fmt.Fprintf(p.out, "View at:\n%s\n", strings.Join(urls, "\n"))
		}
		if p.c.dryRun {
			fmt.Fprintf(p.out, "Dry run: %d file(s) checked, nothing was uploaded.\n", len(results))
		} else {
			fmt.Fprintf(p.out, "%d file(s) published.\n", len(results))
		}
	case errors.As(err, &tpe) && p.r.Enabled():
		p.act.trustedPublishingFailed(err, results)
	case errors.As(err, &ae) && p.r.Enabled():
		p.act.attestationError(ae)
	case errors.As(err, &tpe):
		fmt.Fprintf(p.out, "error: trusted publishing failed:\n%s\n", explain(err))
	case errors.Is(err, pypi.ErrPasswordRefused) && p.r.Enabled():
		p.r.Error(gha.Annotation{Title: passwordNudgeTitle}, passwordNudge)
	case errors.Is(err, pypi.ErrNoDistributions) && p.r.Enabled():
		if !p.c.action { // the action's check has said it already
			p.r.Warning(gha.Annotation{File: missingDistsFile}, fmt.Sprintf(missingDists, p.act.packagesDir()+"/"))
		}
		p.r.Error(gha.Annotation{}, err.Error())
	case errors.As(err, &fe) && errors.Is(err, pypi.ErrUploadFailed):
		for _, r := range results {
			if r.Err != nil {
				p.r.Error(gha.Annotation{Title: "Upload failed", File: r.Path}, errorText(r.Err))
			}
		}
		fmt.Fprintf(p.out, "error: %s\n", errorText(err))
	case p.r.Enabled():
		p.r.Error(gha.Annotation{}, errorText(err))
	default:
		fmt.Fprintf(p.out, "error: %s\n", errorText(err))
	}
}
