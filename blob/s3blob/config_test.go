package s3blob_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/blob/s3blob"
)

// env returns a getenv over m.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func validEnv() map[string]string {
	return map[string]string{
		"S3_ENDPOINT":    "https://minio.internal:9000",
		"S3_ACCESS_KEY":  "AKIDEXAMPLE",
		"S3_SECRET_KEY":  "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		"S3_BUCKET_NAME": "meeboter-prod",
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	cfg, err := s3blob.ConfigFromEnv(env(validEnv()))
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	if cfg.Endpoint != "https://minio.internal:9000" || cfg.AccessKey != "AKIDEXAMPLE" || cfg.Bucket != "meeboter-prod" || !cfg.PathStyle {
		t.Errorf("cfg = %+v, want the values and path-style for a custom endpoint", cfg)
	}
	if cfg.SecretKey != "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" {
		t.Error("secret key not read")
	}
	aws := validEnv()
	delete(aws, "S3_ENDPOINT")
	aws["S3_REGION"] = "eu-west-1"
	if cfg, err := s3blob.ConfigFromEnv(env(aws)); err != nil || cfg.PathStyle || cfg.Region != "eu-west-1" {
		t.Errorf("AWS: %+v, %v; want virtual-host style in eu-west-1", cfg, err)
	}
	for v, want := range map[string]bool{"false": false, "0": false, "true": true, "1": true} {
		e := validEnv()
		e["S3_FORCE_PATH_STYLE"] = v
		if cfg, err := s3blob.ConfigFromEnv(env(e)); err != nil || cfg.PathStyle != want {
			t.Errorf("S3_FORCE_PATH_STYLE=%s: PathStyle %v, %v", v, cfg.PathStyle, err)
		}
	}
}

func TestConfigFromEnv_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, key, value, want string
	}{
		{"NoBucket", "S3_BUCKET_NAME", "", "S3_BUCKET_NAME: is required"},
		{"BadBucket", "S3_BUCKET_NAME", "Has_Upper", "S3_BUCKET_NAME: \"Has_Upper\" must be 3-63"},
		{"ShortBucket", "S3_BUCKET_NAME", "ab", "S3_BUCKET_NAME"},
		{"NoAccessKey", "S3_ACCESS_KEY", "", "S3_ACCESS_KEY: is required"},
		{"NoSecretKey", "S3_SECRET_KEY", "", "S3_SECRET_KEY: is required"},
		{"EndpointNotURL", "S3_ENDPOINT", "minio:9000", "S3_ENDPOINT: \"minio:9000\" must be an http or https URL"},
		{"EndpointQuery", "S3_ENDPOINT", "https://minio/?x=1", "S3_ENDPOINT"},
		{"EndpointUser", "S3_ENDPOINT", "https://user:pw@minio/", "S3_ENDPOINT"},
		{"BadRegion", "S3_REGION", "EU West", "S3_REGION: \"EU West\" is not a region name"},
		{"BadPathStyle", "S3_FORCE_PATH_STYLE", "yes please", "S3_FORCE_PATH_STYLE: \"yes please\" is not true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := validEnv()
			e[tt.key] = tt.value
			_, err := s3blob.ConfigFromEnv(env(e))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
	_, err := s3blob.ConfigFromEnv(env(map[string]string{}))
	for _, name := range []string{"S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET_NAME"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("empty environment: %v, want it to name %s", err, name)
		}
	}
}

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	cfg := s3blob.Config{AccessKey: "a", SecretKey: "s", Bucket: "bucket", PartSize: 1 << 20}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "PartSize: must be at least") {
		t.Errorf("Validate = %v, want a PartSize error", err)
	}
	if _, err := s3blob.New(s3blob.Config{}); err == nil || !strings.Contains(err.Error(), "Bucket: is required") {
		t.Errorf("New(empty) = %v, want errors naming the fields", err)
	}
}

// TestSecret_Redacted checks every way a Config may be printed or logged.
func TestSecret_Redacted(t *testing.T) {
	t.Parallel()
	cfg, err := s3blob.ConfigFromEnv(env(validEnv()))
	if err != nil {
		t.Fatal(err)
	}
	const secret = "wJalrXUtnFEMI"
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("s3", "config", cfg, "secret", cfg.SecretKey)
	for _, want := range []string{`"bucket":"meeboter-prod"`, `"endpoint":"https://minio.internal:9000"`, `"path_style":true`, `"secret_key":"[redacted]"`} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("logged config %s lacks %s", logged.String(), want)
		}
	}
	js, err := json.Marshal(struct{ Secret s3blob.Secret }{cfg.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{
		"%v":   fmt.Sprintf("%v", cfg),
		"%+v":  fmt.Sprintf("%+v", cfg),
		"%#v":  fmt.Sprintf("%#v", cfg),
		"%q":   fmt.Sprintf("%q", cfg.SecretKey),
		"slog": logged.String(),
		"json": string(js),
	} {
		if strings.Contains(out, secret) {
			t.Errorf("%s shows the secret: %s", name, out)
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s does not mark the secret redacted: %s", name, out)
		}
	}
	if s := fmt.Sprint(s3blob.Secret("")); s != "" {
		t.Errorf("an empty secret prints as %q", s)
	}
}
