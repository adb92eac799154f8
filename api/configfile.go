package api

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// FileConfig is the CLI's configuration file: the daemon to talk to and the
// key to use. The daemon writes it on its first start in local mode, and
// `meeboter login` writes it otherwise.
type FileConfig struct {
	Address string
	APIKey  string
}

// ConfigFilePath is $MEEBOTER_CONFIG, else
// $XDG_CONFIG_HOME/meeboter/config.yaml, else ~/.config/meeboter/config.yaml.
func ConfigFilePath() (string, error) {
	if p := os.Getenv("MEEBOTER_CONFIG"); p != "" {
		return p, nil
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find config dir: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "meeboter", "config.yaml"), nil
}

// ReadConfigFile reads a config file. A missing file is an empty config
// and os.ErrNotExist.
func ReadConfigFile(path string) (FileConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileConfig{}, err
	}
	defer f.Close()
	var cfg FileConfig
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return FileConfig{}, fmt.Errorf("%s:%d: expected \"key: value\"", path, n)
		}
		value = unquote(strings.TrimSpace(value))
		switch strings.TrimSpace(key) {
		case "address":
			cfg.Address = value
		case "api_key":
			cfg.APIKey = value
		}
	}
	return cfg, sc.Err()
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		if s, err := strconv.Unquote(`"` + v[1:len(v)-1] + `"`); err == nil {
			return s
		}
		return v[1 : len(v)-1]
	}
	return v
}

// WriteConfigFile writes cfg with mode 0600 (it holds a secret), creating
// the directory with mode 0700. It replaces the file atomically.
func WriteConfigFile(path string, cfg FileConfig) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	lines := map[string]string{"address": cfg.Address, "api_key": cfg.APIKey}
	keys := make([]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("# meeboter CLI configuration\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strconv.Quote(lines[k]))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
