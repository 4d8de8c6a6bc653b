package pypitest

import (
	"strings"

	"github.com/trustpub/pypi/dist"
)

// formHeaders maps Warehouse's form names to core metadata fields
// (warehouse/forklift/metadata.py), in the order they are written back.
var formHeaders = []struct{ form, header string }{
	{"metadata_version", "Metadata-Version"},
	{"name", "Name"},
	{"version", "Version"},
	{"summary", "Summary"},
	{"description_content_type", "Description-Content-Type"},
	{"keywords", "Keywords"},
	{"home_page", "Home-page"},
	{"download_url", "Download-URL"},
	{"author", "Author"},
	{"author_email", "Author-email"},
	{"maintainer", "Maintainer"},
	{"maintainer_email", "Maintainer-email"},
	{"license", "License"},
	{"license_expression", "License-Expression"},
	{"license_file", "License-File"},
	{"classifiers", "Classifier"},
	{"platform", "Platform"},
	{"supported_platform", "Supported-Platform"},
	{"requires_python", "Requires-Python"},
	{"requires_dist", "Requires-Dist"},
	{"provides_dist", "Provides-Dist"},
	{"obsoletes_dist", "Obsoletes-Dist"},
	{"requires_external", "Requires-External"},
	{"project_urls", "Project-URL"},
	{"provides_extra", "Provides-Extra"},
	{"dynamic", "Dynamic"},
	{"requires", "Requires"},
	{"provides", "Provides"},
	{"obsoletes", "Obsoletes"},
	{"import_name", "Import-Name"},
	{"import_namespace", "Import-Namespace"},
}

// formMetadata rebuilds the core metadata the form describes, which is
// the metadata of record at Warehouse ("TODO: We should eventually
// extract this data out of the artifact"), so that dist's checks judge
// the form's values. Unknown form names are ignored, as Warehouse does;
// empty values count as absent; the description becomes the body.
func formMetadata(f *uploadForm) *dist.Metadata {
	var b strings.Builder
	for _, fh := range formHeaders {
		for _, v := range f.values(fh.form) {
			if v == "" {
				continue
			}
			v = strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
			b.WriteString(fh.header + ": " + strings.ReplaceAll(v, "\n", "\n        ") + "\n")
		}
	}
	if d := f.value("description"); d != "" {
		b.WriteString("\n" + d)
	}
	m, _ := dist.ParseMetadata([]byte(b.String())) // never fails (documented)
	return m
}
