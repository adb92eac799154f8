package awscreds

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// The SDK's STS client, whose serializers and deserializers are generated
// from the service model, holds the fake to the real shapes: what it sends
// must pass the fake's checks, what the fake answers must decode there to
// what this package decodes, and this package must send what it sends.

// sdkSTS is the SDK's client pointed at the fake, trying each call once.
func sdkSTS(f *fakeAWS) *sts.Client {
	return sts.New(sts.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(f.URL()),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	})
}

func TestSTSShapeAnswer(t *testing.T) {
	f := newFakeAWS(t)
	out, err := sdkSTS(f).AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(testRole),
		RoleSessionName:  aws.String("shape"),
		WebIdentityToken: aws.String("header.payload.signature"),
	})
	if err != nil {
		t.Fatalf("the SDK's client refused the fake's answer: %v", err)
	}
	p, _ := newWebIdentity(t, f, "header.payload.signature", map[string]string{"AWS_ROLE_SESSION_NAME": "shape"})
	ours, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}

	sdk := out.Credentials
	if sdk == nil {
		t.Fatal("the SDK decoded no Credentials from the fake's answer")
	}
	if aws.ToString(sdk.AccessKeyId) != ours.AccessKeyID || aws.ToString(sdk.SecretAccessKey) != ours.SecretAccessKey ||
		aws.ToString(sdk.SessionToken) != ours.SessionToken || !aws.ToTime(sdk.Expiration).Equal(ours.Expires) {
		t.Errorf("the SDK decoded key %q secret %q token %q expiration %v; this package %+v",
			aws.ToString(sdk.AccessKeyId), aws.ToString(sdk.SecretAccessKey), aws.ToString(sdk.SessionToken), sdk.Expiration, ours)
	}
	if ours.AccessKeyID != keySTS || !ours.Expires.Equal(stsExpiration) {
		t.Errorf("this package decoded %+v", ours)
	}
	if arn := aws.ToString(out.AssumedRoleUser.Arn); accountOf(arn) != ours.AccountID || ours.AccountID == "" {
		t.Errorf("account %q from the SDK's ARN %q, this package %q", accountOf(arn), arn, ours.AccountID)
	}

	forms := f.forms()
	if len(forms) != 2 {
		t.Fatalf("%d calls, want 2", len(forms))
	}
	if !reflect.DeepEqual(forms[0], forms[1]) {
		t.Errorf("request forms differ\n  SDK: %v\n ours: %v", forms[0], forms[1])
	}
	sdkHeader, ourHeader := f.headers()[0], f.headers()[1]
	if sdkHeader.Get("Authorization") != "" {
		t.Errorf("the SDK signs the call (%q): then so must this package", sdkHeader.Get("Authorization"))
	}
	if sdkHeader.Get("Content-Type") != ourHeader.Get("Content-Type") {
		t.Errorf("Content-Type: SDK %q, ours %q", sdkHeader.Get("Content-Type"), ourHeader.Get("Content-Type"))
	}
}

func TestSTSShapeError(t *testing.T) {
	f := newFakeAWS(t)
	failure := stsFailure{400, "Sender", "IDPRejectedClaim", "Incorrect token audience"}
	f.fail(failure, failure)
	_, sdkErr := sdkSTS(f).AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(testRole),
		RoleSessionName:  aws.String("shape"),
		WebIdentityToken: aws.String("jwt"),
	})
	var api smithy.APIError
	if !errors.As(sdkErr, &api) {
		t.Fatalf("the SDK's error %v is not an API error", sdkErr)
	}
	var resp *awshttp.ResponseError
	if !errors.As(sdkErr, &resp) {
		t.Fatalf("the SDK's error %v has no HTTP response", sdkErr)
	}

	p, _ := newWebIdentity(t, f, "jwt", nil)
	_, err := p.Retrieve(context.Background())
	var ours *stsError
	if !errors.As(err, &ours) {
		t.Fatalf("error %v, want an *stsError", err)
	}
	if api.ErrorCode() != ours.Code || api.ErrorMessage() != ours.Message || resp.HTTPStatusCode() != ours.Status {
		t.Errorf("the SDK read code %q message %q status %d; this package %q %q %d",
			api.ErrorCode(), api.ErrorMessage(), resp.HTTPStatusCode(), ours.Code, ours.Message, ours.Status)
	}
	if api.ErrorFault() != smithy.FaultClient || ours.Type != "Sender" {
		t.Errorf("fault: SDK %v, ours %q; want client / Sender", api.ErrorFault(), ours.Type)
	}
	if ours.Code != failure.code || ours.Message != failure.text {
		t.Errorf("this package read %+v, want %+v", ours, failure)
	}
}
