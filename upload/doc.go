// Package upload sends Python distributions to an index through the
// legacy upload API that PyPI, TestPyPI and most private indexes
// implement (https://docs.pypi.org/api/upload/).
//
// A [Client] names the index and its credentials; [Client.Upload] sends
// one [dist.Distribution] and [Client.UploadAll] a batch, reporting each
// file as it finishes to [Options].OnResult:
//
//	c := &upload.Client{URL: upload.PyPIURL, Token: tokens}
//	res, err := c.Upload(ctx, d, upload.Options{SkipExisting: true})
//
// # The request
//
// The body is a multipart form with Warehouse's field names, taken from
// the file's core metadata ([Form] lists them, for a dry run), followed by
// the file. It is streamed with an exact Content-Length: memory does not
// grow with the file's size. The form differs from twine's in three ways:
// name is the metadata's Name as written (twine replaces runs of
// characters other than letters, digits and "." by "-", which renames a
// project such as "my_pkg" on PyPI), Import-Name and Import-Namespace
// (metadata 2.5) are sent as import_name and import_namespace (twine
// drops them), and the fields come in a fixed order:
//
//	Fields                                                Sent
//	:action, protocol_version, metadata_version,          always
//	name, version, filetype, pyversion
//	summary, description, description_content_type,       when the field has a value, once
//	keywords (joined by ", "), home_page, download_url,   per value for a multi-use field
//	author, author_email, maintainer, maintainer_email,
//	license, license_expression, license_file,
//	classifiers, platform, supported_platform,
//	requires_python, requires_dist, provides_dist,
//	obsoletes_dist, requires_external, project_urls
//	("label, url"), provides_extra, dynamic, requires,
//	provides, obsoletes, import_name, import_namespace
//	comment                                               when given
//	sha256_digest, blake2_256_digest, md5_digest          md5 on request
//	attestations                                          when attesting
//
// As twine does, [Form] leaves License-File out under a Metadata-Version
// older than 2.4 (setuptools writes it into 2.1 files), and refuses, in
// packaging's and twine's words, any other field newer than the declared
// Metadata-Version and any field the metadata parser could not read
// (dist.Metadata.Unparsed: unknown, repeated or not UTF-8).
//
// # Answers, retries and existing files
//
// A 2xx answer is success, unless it is an HTML page rather than the
// index's empty success answer: then the index listing must show the
// file, or the upload fails with [ErrNotStored]. Other answers are an [*Error] carrying the
// status, the index's message (from JSON, the reason phrase or the page)
// and a hint; errors.Is tells the common cases apart ([ErrFileExists],
// [ErrAuth], ...). Transport errors, 5xx and 429 answers are retried with
// backoff ([Retry]). Before a retry, and when the index says the file
// exists, the client asks the index (the PEP 691 simple API, or the JSON
// API, under the root that [IndexURL] derives) whether it has the file: the same sha256 means the upload is done,
// which makes uploads idempotent; another sha256 is a [*MismatchError].
//
// # Security
//
// Credentials go only over https (or plain http to a literal loopback
// address or the name localhost, which is dialled without DNS), never
// follow a redirect to another URL, and never appear in errors: anything
// the index echoes back is redacted, whole or in pieces, raw,
// percent-encoded, base64-encoded or split by HTML tags, before it is cut
// short. A connection on which no byte moves for [Client].Timeout fails
// and is retried; listings are streamed, and refused past 64 MiB.
package upload
