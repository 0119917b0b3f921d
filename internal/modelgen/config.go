package main

import (
	"fmt"
	"os"

	yaml "github.com/oasdiff/yaml3"
)

// config is modelgen.yaml: which schemas of openapi.yaml become the
// wrapper's models and enums, under which Go names. A new property or
// enum value needs no entry; a new schema does.
type config struct {
	Package string `yaml:"package"`
	Output  string `yaml:"output"`
	// Models maps a schema to its Go model.
	Models map[string]modelConfig `yaml:"models"`
	// Enums maps an enum schema to its Go type.
	Enums map[string]string `yaml:"enums"`
	// Types maps a schema to a hand-written Go type: the type, what the
	// wire form decodes into, and the function that turns it into the type.
	Types map[string]typeConfig `yaml:"types"`
	// Values lists optional properties ("Schema.property") that are held
	// by value as released, "" or 0 when absent. Every other optional
	// property is a pointer, nil when absent, so that absent and zero differ.
	Values []string `yaml:"values"`
}

type modelConfig struct {
	Name    string            `yaml:"name"`
	Request bool              `yaml:"request"` // a request body: "" means not sent
	Fields  map[string]string `yaml:"fields"`  // property -> Go field name, where the rule's is not wanted
}

type typeConfig struct {
	Go   string `yaml:"go"`
	Wire string `yaml:"wire"`
	From string `yaml:"from"`
}

func readConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	if err := yaml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}
