package web

import "forewarn/app/service"

// boundValues returns values with each field cut to what a refused form
// may show again (service.EchoLimit), so that a page answering a huge
// field stays small.
func boundValues(values map[string]string) map[string]string {
	if values == nil {
		return nil
	}
	out := make(map[string]string, len(values))
	for k, v := range values {
		out[k] = service.BoundText(v, service.EchoLimit(k))
	}
	return out
}
