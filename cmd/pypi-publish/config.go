package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/trustpub/pypi"
	"github.com/trustpub/pypi/internal/gha"
	"github.com/trustpub/pypi/upload"
)

// config is what the command line, the environment and (under GitHub
// Actions) the action's inputs ask for.
type config struct {
	paths         []string
	repository    string // pypi, testpypi or "" (flag --repository)
	repositoryURL string
	username      string
	password      string
	trusted       string // auto, always, never
	checks        string // auto, pypi, lenient
	skipExisting  bool
	verify        bool
	attestations  bool
	concurrency   int
	timeout       time.Duration // 0: the library's default
	printHash     bool
	dryRun        bool
	json          bool
	verbose       bool

	// action is set when the inputs of gh-action-pypi-publish were read:
	// its messages and nudges apply.
	action bool
	// attestationsInput is the action's attestations input (which asks
	// for attestations to be sent if there are any, not required).
	attestationsInput bool
}

// errUsage marks a bad command line (exit status 2).
var errUsage = errors.New("usage")

const usageText = `Usage: pypi-publish [flags] [PATH ...]

Uploads the Python distributions in PATH (files, directories or glob
patterns; default dist) to PyPI, by Trusted Publishing when it runs in CI
and no credentials are given. Every file is checked before the first byte
is sent. Under GitHub Actions it also reads the inputs of
pypa/gh-action-pypi-publish (INPUT_USER, INPUT_PASSWORD, ...).

Flags:
`

// parseConfig reads args (flags may come before, between and after the
// paths), then fills what they leave unset from TWINE_* variables and,
// under GitHub Actions, the action's inputs.
func parseConfig(args []string, getenv func(string) string, r *gha.Runner, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("pypi-publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.repositoryURL, "repository-url", "", "the index's upload `URL` (default https://upload.pypi.org/legacy/)")
	fs.StringVar(&c.repository, "repository", "", "`name` of the index: pypi or testpypi")
	for _, n := range []string{"u", "username"} {
		fs.StringVar(&c.username, n, "", "the `username` (default __token__; also TWINE_USERNAME)")
	}
	for _, n := range []string{"p", "password"} {
		fs.StringVar(&c.password, n, "", "the `password` or API token (also TWINE_PASSWORD)")
	}
	fs.StringVar(&c.trusted, "trusted-publishing", "auto", "use Trusted Publishing: auto, always or never")
	fs.StringVar(&c.checks, "checks", "auto", "rules to check the files by: auto (PyPI's for PyPI and TestPyPI), pypi or lenient")
	fs.BoolVar(&c.skipExisting, "skip-existing", false, "succeed for files the index already has")
	fs.BoolVar(&c.verify, "verify-metadata", true, "check the files' metadata before uploading")
	fs.BoolVar(&c.attestations, "attestations", false, "upload the PEP 740 attestation files beside each distribution (required for each)")
	fs.IntVar(&c.concurrency, "concurrency", 4, "how many files to upload at once after the first of each release")
	fs.Func("timeout", "give up a network request after `SECONDS` without progress, or when connecting takes longer "+
		"(default 60, or UV_HTTP_TIMEOUT)", func(v string) error {
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || !(secs > 0) || secs > math.MaxInt64/float64(time.Second) {
			return errors.New("want a number of seconds above 0")
		}
		c.timeout = time.Duration(secs * float64(time.Second))
		return nil
	})
	fs.BoolVar(&c.printHash, "print-hash", false, "print the SHA256, MD5 and BLAKE2-256 of each file")
	fs.BoolVar(&c.dryRun, "dry-run", false, "check the files and print the upload forms, without fetching credentials or uploading")
	fs.BoolVar(&c.json, "json", false, "print one JSON document describing each file on stdout")
	fs.BoolVar(&c.verbose, "v", false, "verbose: log each step")
	for rest := args; len(rest) > 0; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		rest = fs.Args()
		if len(rest) > 0 {
			if rest[0] != "--" {
				c.paths = append(c.paths, rest[0])
				rest = rest[1:]
				continue
			}
			c.paths = append(c.paths, rest[1:]...)
			break
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["u"] && !set["username"] {
		c.username = getenv("TWINE_USERNAME")
	}
	if !set["p"] && !set["password"] {
		c.password = getenv("TWINE_PASSWORD")
	}
	if !set["repository-url"] && !set["repository"] {
		c.repositoryURL = getenv("TWINE_REPOSITORY_URL")
	}
	if r.Enabled() {
		c.readInputs(r, set)
	}
	return c, c.validate(set, stderr)
}

// readInputs takes gh-action-pypi-publish's inputs for whatever the
// command line left unset. The action runs this program without
// arguments, so its inputs decide; a workflow step that passes flags
// keeps them.
func (c *config) readInputs(r *gha.Runner, set map[string]bool) {
	names := []string{"user", "password", "repository-url", "packages-dir", "verify-metadata",
		"skip-existing", "verbose", "print-hash", "attestations"}
	for _, n := range names {
		if r.Input(n) != "" {
			c.action = true
		}
	}
	if !c.action {
		return
	}
	c.inputsOnly(set)
	if v := r.Input("user"); v != "" && !set["u"] && !set["username"] {
		c.username = v
	}
	if v := r.Input("password"); v != "" && !set["p"] && !set["password"] {
		c.password = v
	}
	if v := r.Input("repository-url"); v != "" && !set["repository-url"] && !set["repository"] {
		c.repositoryURL = v
	}
	if v := r.Input("packages-dir"); v != "" && len(c.paths) == 0 {
		c.paths = []string{strings.TrimRight(v, "/")}
	}
	if !set["verify-metadata"] {
		c.verify = r.BoolInput("verify-metadata", true)
	}
	if !set["skip-existing"] {
		c.skipExisting = r.BoolInput("skip-existing", false)
	}
	verbose := r.BoolInput("verbose", false)
	if !set["v"] {
		c.verbose = verbose
	}
	if !set["print-hash"] {
		c.printHash = r.BoolInput("print-hash", false) || verbose
	}
	c.attestationsInput = r.BoolInput("attestations", false)
}

func (c *config) validate(set map[string]bool, stderr io.Writer) error {
	bad := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "pypi-publish: "+format+"\n", a...)
		return errUsage
	}
	switch {
	case set["repository"] && set["repository-url"]:
		return bad("give --repository or --repository-url, not both")
	case c.repository != "" && !strings.EqualFold(c.repository, pypi.PyPI) && !strings.EqualFold(c.repository, pypi.TestPyPI):
		return bad("--repository %q: want pypi or testpypi", c.repository)
	case c.trusted != "auto" && c.trusted != "always" && c.trusted != "never":
		return bad("--trusted-publishing %q: want auto, always or never", c.trusted)
	case c.checks != "auto" && c.checks != "pypi" && c.checks != "lenient":
		return bad("--checks %q: want auto, pypi or lenient", c.checks)
	case c.concurrency < 1:
		return bad("--concurrency %d: want 1 or more", c.concurrency)
	}
	return nil
}

// repositoryArg is the repository for pypi.Options.
func (c *config) repositoryArg() string {
	if c.repositoryURL != "" {
		return c.repositoryURL
	}
	return c.repository
}

// uploadURL is the upload URL the repository stands for.
func (c *config) uploadURL() string { return pypi.UploadURL(c.repositoryArg()) }

// displayURL is uploadURL without a password, for the log and summary.
func (c *config) displayURL() string {
	u, err := url.Parse(c.uploadURL())
	if err != nil {
		return "(an invalid URL)"
	}
	return u.Redacted()
}

// urlPassword is the password in the repository URL's user information.
func (c *config) urlPassword() string {
	if u, err := url.Parse(c.uploadURL()); err == nil {
		pw, _ := u.User.Password()
		return pw
	}
	return ""
}

// options turns the configuration into pypi.Options.
func (c *config) options() pypi.Options {
	o := pypi.Options{
		Files:        c.paths,
		Repository:   c.repositoryArg(),
		Username:     c.username,
		Password:     c.password,
		SkipExisting: c.skipExisting,
		Concurrency:  c.concurrency,
		DryRun:       c.dryRun,
		Timeout:      c.timeout,
	}
	switch {
	case c.trusted == "always":
		o.TrustedPublishing = pypi.TrustedPublishingAlways
	case c.trusted == "never":
		o.TrustedPublishing = pypi.TrustedPublishingNever
	case c.action && c.password == "" && (c.username == "" || c.username == "__token__"):
		// The action's rule: these inputs mean Trusted Publishing, and
		// its failure is fatal, even at an index without it.
		o.TrustedPublishing = pypi.TrustedPublishingAlways
	}
	switch {
	case !c.verify:
		o.Checks = pypi.ChecksNone
	case c.checks == "pypi":
		o.Checks = pypi.ChecksPyPI
	case c.checks == "lenient":
		o.Checks = pypi.ChecksLenient
	}
	switch {
	case c.attestations:
		o.Attestations = upload.AttestationsRequire
	case c.action && !c.attestationsInput:
		o.Attestations = upload.AttestationsOff // the action sends none unless asked
	}
	return o
}
