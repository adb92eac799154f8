package awscreds

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// envSourceName is what the SDK's EnvConfig calls keys from the
// environment, kept so logs and aws.Credentials.Source read the same.
const envSourceName = "EnvConfigCredentials"

// envCredentials is the first source: static keys in the environment.
// AWS_ACCESS_KEY and AWS_SECRET_KEY are the older names the SDK still
// reads when the newer ones are unset.
//
// The SDK ignores a key without its secret, and then silently goes on to
// a profile or a role: here that is an error, since it is almost always a
// half-exported pair and the fallback would act as someone else.
func envCredentials(s *settings) (aws.CredentialsProvider, error) {
	id, idVar := firstSet(s.getenv, "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY")
	secret, secretVar := firstSet(s.getenv, "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY")
	switch {
	case id == "" && secret == "":
		return nil, nil
	case secret == "":
		return nil, errorf("%s is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither", idVar)
	case id == "":
		return nil, errorf("%s is set but AWS_ACCESS_KEY_ID is not: set both, or neither", secretVar)
	}
	p := credentials.NewStaticCredentialsProvider(id, secret, s.getenv("AWS_SESSION_TOKEN"))
	p.Value.Source = envSourceName
	p.Value.AccountID = s.getenv("AWS_ACCOUNT_ID")
	p.Source = []aws.CredentialSource{aws.CredentialSourceEnvVars}
	return p, nil
}

// firstSet returns the first non-empty variable of names, and its name.
func firstSet(getenv func(string) string, names ...string) (value, name string) {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v, n
		}
	}
	return "", names[0]
}
