package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/pflag"
)

// Where a configuration value came from, as `meeboter config view` shows.
const (
	SourceFlag    = "flag"
	SourceEnv     = "env"
	SourceFile    = "file"
	SourceDefault = "default"
)

// ConfigEntry is one resolved setting with where it came from, so a
// surprising value can be traced to its flag, variable or file.
type ConfigEntry struct {
	Value  string `json:"value"`
	Source string `json:"source"`
	// Path is the config file when Source is SourceFile.
	Path string `json:"path,omitempty"`
}

// Config is the CLI's resolved configuration: flags over environment
// (MEEBOTER_*) over the config file over defaults.
type Config struct {
	Address ConfigEntry `json:"address"`
	APIKey  ConfigEntry `json:"apiKey"`
	// FilePath is where the config file is (or would be written).
	FilePath string `json:"filePath"`
}

// configInputs are the layers resolveConfig merges.
type configInputs struct {
	Flags  *pflag.FlagSet // persistent root flags; only Changed ones count
	Getenv func(string) string
	Path   string // config file; "" means none
}

// resolveConfig merges the layers. A missing config file is not an error:
// a fresh machine simply has none yet.
func resolveConfig(in configInputs) (*Config, error) {
	file := api.FileConfig{}
	if in.Path != "" {
		var err error
		file, err = api.ReadConfigFile(in.Path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("read config: %w", err)
		}
	}
	cfg := &Config{FilePath: in.Path}
	cfg.Address = pick(in, "addr", "MEEBOTER_ADDR", file.Address, api.DefaultAddress)
	cfg.APIKey = pick(in, "api-key", "MEEBOTER_API_KEY", file.APIKey, "")
	return cfg, nil
}

// pick returns the first layer that sets a value.
func pick(in configInputs, flag, env, fileValue, def string) ConfigEntry {
	if in.Flags != nil && in.Flags.Changed(flag) {
		v, _ := in.Flags.GetString(flag)
		return ConfigEntry{Value: v, Source: SourceFlag}
	}
	if v := in.Getenv(env); v != "" {
		return ConfigEntry{Value: v, Source: SourceEnv}
	}
	if fileValue != "" {
		return ConfigEntry{Value: fileValue, Source: SourceFile, Path: in.Path}
	}
	return ConfigEntry{Value: def, Source: SourceDefault}
}

// describe renders the source for people: "file /home/me/.config/...".
func (e ConfigEntry) describe() string {
	if e.Source == SourceFile {
		return e.Source + " " + e.Path
	}
	return e.Source
}

// maskKey keeps the first 8 characters of a key, enough to match it with
// `meeboter key list`, and hides the rest.
func maskKey(k string) string {
	const keep = 8
	if k == "" {
		return ""
	}
	if len(k) <= keep {
		return k[:len(k)/2] + "…"
	}
	return k[:keep] + "…"
}
