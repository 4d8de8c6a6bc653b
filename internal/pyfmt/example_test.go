package pyfmt_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/trustpub/pypi/internal/pyfmt"
)

func ExampleRepr() {
	fmt.Println("Invalid project name: " + pyfmt.Repr("it's\tbad"))
	// Output: Invalid project name: "it's\tbad"
}

func ExampleReprValue() {
	d := json.NewDecoder(strings.NewReader(`{"aud": ["pypi", 1e3, null], "ok": true}`))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		panic(err)
	}
	fmt.Println(pyfmt.ReprValue(v))
	// Output: {'aud': ['pypi', 1000.0, None], 'ok': True}
}

func ExampleJSON() {
	fmt.Println(string(pyfmt.JSON(pyfmt.Object{
		{Key: "message", Value: "café"},
		{Key: "success", Value: false},
	})))
	// Output: {"message": "caf\u00e9", "success": false}
}
