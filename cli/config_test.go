package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
	"github.com/spf13/pflag"
)

func TestResolveConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "config.yaml")
	if err := api.WriteConfigFile(file, api.FileConfig{Address: "http://file:3000", APIKey: "mbk_fromfile"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"MEEBOTER_ADDR": "http://env:3000", "MEEBOTER_API_KEY": "mbk_fromenv"}
	tests := []struct {
		name     string
		flags    []string
		env      map[string]string
		path     string
		wantAddr ConfigEntry
		wantKey  ConfigEntry
	}{
		{"Defaults", nil, nil, filepath.Join(dir, "missing.yaml"),
			ConfigEntry{api.DefaultAddress, SourceDefault, ""}, ConfigEntry{"", SourceDefault, ""}},
		{"File", nil, nil, file,
			ConfigEntry{"http://file:3000", SourceFile, file}, ConfigEntry{"mbk_fromfile", SourceFile, file}},
		{"EnvOverFile", nil, env, file,
			ConfigEntry{"http://env:3000", SourceEnv, ""}, ConfigEntry{"mbk_fromenv", SourceEnv, ""}},
		{"FlagOverEnv", []string{"--addr", "http://flag:3000"}, env, file,
			ConfigEntry{"http://flag:3000", SourceFlag, ""}, ConfigEntry{"mbk_fromenv", SourceEnv, ""}},
		{"FlagEqualToDefaultStillWins", []string{"--addr", api.DefaultAddress, "--api-key", "k"}, env, file,
			ConfigEntry{api.DefaultAddress, SourceFlag, ""}, ConfigEntry{"k", SourceFlag, ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			fs.String("addr", api.DefaultAddress, "")
			fs.String("api-key", "", "")
			if err := fs.Parse(tt.flags); err != nil {
				t.Fatal(err)
			}
			cfg, err := resolveConfig(configInputs{Flags: fs, Getenv: func(k string) string { return tt.env[k] }, Path: tt.path})
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "address", cfg.Address, tt.wantAddr)
			assertEqual(t, "api key", cfg.APIKey, tt.wantKey)
		})
	}
}

func TestResolveConfig_BadFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte("not yaml at all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := resolveConfig(configInputs{Getenv: func(string) string { return "" }, Path: path})
	if err == nil || !strings.Contains(err.Error(), "read config") {
		t.Fatalf("err = %v, want a read config error", err)
	}
}

func TestMaskKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "abcd": "ab…", "mbk_0123456789": "mbk_0123…"} {
		assertEqual(t, in, maskKey(in), want)
	}
}

func TestConfigView(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if err := api.WriteConfigFile(b.configPath, api.FileConfig{Address: "http://file:3000", APIKey: "mbk_fromfile_secret"}); err != nil {
		t.Fatal(err)
	}
	delete(b.env, "MEEBOTER_API_KEY")
	code := b.run(t, "config", "view", "--addr", "http://flag:1")
	assertEqual(t, "exit", code, ExitOK)
	want := "address\thttp://flag:1\tflag\n" +
		"api_key\tmbk_from…\tfile " + b.configPath + "\n" +
		"config_file\t" + b.configPath + "\t\n"
	assertEqual(t, "stdout", b.stdout.String(), want)
	if strings.Contains(b.stdout.String(), "secret") {
		t.Error("config view printed the whole key")
	}
}

func TestConfigView_JSON(t *testing.T) {
	t.Parallel()
	b := setup(t)
	assertEqual(t, "exit", b.run(t, "config", "view", "--json"), ExitOK)
	for _, want := range []string{`"source": "env"`, `"value": "mbk_test…"`, `"filePath": "` + b.configPath + `"`} {
		if !strings.Contains(b.stdout.String(), want) {
			t.Errorf("stdout lacks %s:\n%s", want, b.stdout)
		}
	}
}
