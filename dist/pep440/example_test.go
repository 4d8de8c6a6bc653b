package pep440_test

import (
	"fmt"
	"slices"

	"github.com/trustpub/pypi/dist/pep440"
)

func ExampleParse() {
	for _, s := range []string{"V1.0", "1.0RC1", "1.0-1", "1.0_dev3", "1.0+Ubuntu-1", "1.0-"} {
		v, err := pep440.Parse(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(v)
	}
	// Output:
	// 1.0
	// 1.0rc1
	// 1.0.post1
	// 1.0.dev3
	// 1.0+ubuntu.1
	// Invalid version: '1.0-'
}

func ExampleCompare() {
	var vs []pep440.Version
	for _, s := range []string{"1.0", "1.0.post1", "1.0a1", "1.0.dev1", "1.0+local", "0.9"} {
		vs = append(vs, pep440.MustParse(s))
	}
	slices.SortFunc(vs, pep440.Compare)
	fmt.Println(vs)
	fmt.Println(pep440.Compare(pep440.MustParse("1.0"), pep440.MustParse("1.0.0")))
	// Output:
	// [0.9 1.0.dev1 1.0a1 1.0 1.0+local 1.0.post1]
	// 0
}

func ExampleSpecifierSet_Contains() {
	set, err := pep440.ParseSpecifierSet(">=3.9, !=3.10.*")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []string{"3.8", "3.9", "3.10.2", "3.13", "3.14.0rc1"} {
		v := pep440.MustParse(s)
		fmt.Println(s, set.Contains(v, set.Prereleases()), set.Contains(v, true))
	}
	fmt.Println(set)
	// Output:
	// 3.8 false false
	// 3.9 true true
	// 3.10.2 false false
	// 3.13 true true
	// 3.14.0rc1 false true
	// !=3.10.*,>=3.9
}
