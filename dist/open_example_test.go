package dist_test

import (
	"errors"
	"fmt"
	"io"

	"github.com/trustpub/pypi/dist"
)

func ExampleOpen() {
	d, err := dist.Open("testdata/good/wheel/demo-1.0-py3-none-any.whl")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Kind(), d.Metadata.Name, d.Metadata.Version)
	fmt.Println(d.Validate(dist.PyPI))
	// Output:
	// wheel demo 1.0
	// <nil>
}

func ExampleDistribution_Digests() {
	d, err := dist.Open("testdata/good/wheel/demo-1.0-py3-none-any.whl")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, known := d.KnownDigests(false) // a wheel is hashed when first needed
	digests, err := d.Digests(false)  // one read, sha256 and blake2b-256 in parallel
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(known, len(digests.SHA256), len(digests.BLAKE2b256), digests.MD5 == "")
	// Output:
	// false 64 64 true
}

func ExampleDistribution_HashingReader() {
	d, err := dist.Open("testdata/good/wheel/demo-1.0-py3-none-any.whl")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := d.HashingReader(false)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	n, err := io.Copy(io.Discard, r) // or send it: the hashers keep up on other cores
	if err != nil {
		fmt.Println(err)
		return
	}
	sums, err := r.Digests()
	if err != nil {
		fmt.Println(err)
		return
	}
	known, _ := d.KnownDigests(false)
	fmt.Println(n == d.Size, known == sums)
	// Output:
	// true true
}

func ExampleDistribution_Check() {
	d, err := dist.Open("testdata/bad/wheel-platform-linux/demo-1.0-cp312-cp312-linux_x86_64.whl")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range d.Check(dist.PyPI) {
		if p.Severity == dist.SeverityError {
			fmt.Println(p.Field, p.Rule, p.Message)
		}
	}
	// Output:
	// filename platform-tag Binary wheel 'demo-1.0-cp312-cp312-linux_x86_64.whl' has an unsupported platform tag 'linux_x86_64'.
}

func ExampleOpen_invalidArchive() {
	_, err := dist.Open("testdata/bad/zip-trailing-data/demo-1.0-py3-none-any.whl")
	var ve *dist.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Rule+":", p.Message)
		}
	}
	// Output:
	// zip-trailing-data: Invalid distribution file. ZIP archive not accepted: Trailing data. See https://docs.pypi.org/archives for more information
}
