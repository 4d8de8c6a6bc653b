# Prints Debian's trove_classifiers tables as JSON for conformance_test.go.
import json

import trove_classifiers as tc

print(json.dumps({
    "sorted": list(tc.sorted_classifiers),
    "deprecated": {k: list(v) for k, v in tc.deprecated_classifiers.items()},
}))
