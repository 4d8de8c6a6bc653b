package dist_test

import (
	"fmt"

	"github.com/trustpub/pypi/dist"
)

func ExampleParseMetadata() {
	m, err := dist.ParseMetadata([]byte("Metadata-Version: 2.1\n" +
		"Name: example\n" +
		"Version: 1.0\n" +
		"Keywords: fast, small\n" +
		"Project-URL: Source, https://example.org/src\n" +
		"Classifier: Programming Language :: Python :: 3\n" +
		"License-Expression: MIT\n" +
		"X-Custom: yes\n" +
		"\n" +
		"The description is the body.\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Name, m.Version)
	fmt.Printf("%q\n", m.KeywordList())
	fmt.Println(m.ProjectURLs[0].Label, m.ProjectURLs[0].URL)
	fmt.Printf("%q\n", m.Description)
	fmt.Println(m.Unparsed)
	fmt.Println(m.FieldsNewerThan(m.MetadataVersion))
	// Output:
	// example 1.0
	// ["fast" "small"]
	// Source https://example.org/src
	// "The description is the body.\n"
	// map[x-custom:[yes]]
	// [License-Expression]
}

func ExampleFieldIntroduced() {
	fmt.Println(dist.FieldIntroduced("license-expression"))
	fmt.Println(dist.FieldIntroduced("Import-Name"))
	fmt.Printf("%q\n", dist.FieldIntroduced("X-Custom"))
	// Output:
	// 2.4
	// 2.5
	// ""
}
