// Command helmyaml is the Helm values oracle: it asks the Go YAML code Helm uses
// (sigs.k8s.io/yaml over gopkg.in/yaml.v2) how it reads documents, so the Python
// tests can compare configgen's model of Helm (configgen/yamlfile.py) with the
// ground truth.
//
// One run answers many documents (a process start costs more than parsing).
//
// Input on stdin; the length is a byte count, so a document passes through
// unchanged whatever it holds:
//
//	request := "DOC " doc-length "\n" doc-bytes
//
// Output on stdout: one JSON object per request, one per line, in request order:
//
//	{"stage": "ok" | "yaml" | "json" | "crash",  // where reading stopped
//	 "error": msg,                  // Helm's error ("" when stage is "ok")
//	 "values": {...},               // what the templates see (.Values), as JSON
//	 "types": {key: go-type},       // %T of each top-level value in .Values
//	 "printed": {key: text},        // what {{ .Values.key }} prints
//	 "yaml": {key: {"key_type", "type", "text"}}}  // yaml.v2 alone, before JSON
//
// Build (Debian packages golang-go, golang-k8s-sigs-yaml-dev, golang-gopkg-yaml.v2-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o helmyaml main.go
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/template"

	yamlv2 "gopkg.in/yaml.v2"
	"sigs.k8s.io/yaml"
)

// Answer is one output line.
type Answer struct {
	Stage   string                 `json:"stage"`
	Error   string                 `json:"error"`
	Values  map[string]interface{} `json:"values"`
	Types   map[string]string      `json:"types"`
	Printed map[string]string      `json:"printed"`
	YAML    map[string]Scalar      `json:"yaml"`
}

// Scalar is how yaml.v2 by itself resolved one top-level entry.
type Scalar struct {
	KeyType string `json:"key_type"` // %T of the key (string, int, bool, <nil>, ...)
	Type    string `json:"type"`     // %T of the value (int, uint64, float64, string, ...)
	Text    string `json:"text"`     // the value, exactly (floats: shortest 'g' form, "+Inf", "NaN")
}

// {{ . }} prints a value exactly as {{ .Values.key }} does: fmt.Sprint, except
// that nil prints "<no value>" (which Helm's engine then replaces with "").
var printer = template.Must(template.New("print").Parse("{{ . }}"))

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		header, err := in.ReadString('\n')
		if err == io.EOF && header == "" {
			return // a clean end of input
		}
		var length int
		if err != nil || !strings.HasPrefix(header, "DOC ") {
			fatal("bad request header %q", header)
		}
		if length, err = strconv.Atoi(strings.TrimSpace(header[4:])); err != nil || length < 0 {
			fatal("bad request header %q", header)
		}
		doc := make([]byte, length)
		if _, err := io.ReadFull(in, doc); err != nil {
			fatal("input ends inside a document")
		}
		line, err := json.Marshal(answer(doc))
		if err != nil {
			fatal("cannot encode an answer: %v", err)
		}
		out.Write(line)
		out.WriteByte('\n')
	}
}

// answer reads one document the way Helm's chartutil.ReadValues does.
func answer(doc []byte) (a Answer) {
	a = Answer{Stage: "ok", Types: map[string]string{}, Printed: map[string]string{}, YAML: map[string]Scalar{}}
	defer func() {
		// A panic in the libraries is a result too; keep answering the batch.
		if r := recover(); r != nil {
			a = Answer{Stage: "crash", Error: fmt.Sprint(r)}
		}
	}()

	// yaml.v2 alone (the first half of sigs.k8s.io/yaml.Unmarshal): which Go type
	// and value each plain scalar resolves to before the JSON round trip.
	var raw interface{}
	if err := yamlv2.Unmarshal(doc, &raw); err != nil {
		a.Stage, a.Error = "yaml", err.Error()
		return a
	}
	if m, ok := raw.(map[interface{}]interface{}); ok {
		for k, v := range m {
			a.YAML[fmt.Sprint(k)] = Scalar{fmt.Sprintf("%T", k), fmt.Sprintf("%T", v), exact(v)}
		}
	}

	// Helm: chartutil.ReadValues = sigs.k8s.io/yaml.Unmarshal into map[string]interface{}
	// (YAML -> yaml.v2 objects -> JSON -> encoding/json, so every number is a float64).
	var values map[string]interface{}
	if err := yaml.Unmarshal(doc, &values); err != nil {
		a.Stage, a.Error = "json", err.Error()
		return a
	}
	if values == nil {
		values = map[string]interface{}{} // ReadValues does the same for an empty file
	}
	a.Values = values
	for k, v := range values {
		a.Types[k] = fmt.Sprintf("%T", v)
		var sb strings.Builder
		if err := printer.Execute(&sb, v); err != nil {
			a.Printed[k] = "<error: " + err.Error() + ">"
		} else {
			a.Printed[k] = sb.String()
		}
	}
	return a
}

// exact is a scalar's value without loss (fmt's %v would round-trip ints but
// print floats with 'g' and exponent rules; this keeps every float digit).
func exact(v interface{}) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return v
	case nil:
		return ""
	case map[interface{}]interface{}, []interface{}:
		return "" // not a scalar
	}
	return fmt.Sprint(v) // int, int64, uint64, bool
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "helmyaml: "+format+"\n", args...)
	os.Exit(2)
}
