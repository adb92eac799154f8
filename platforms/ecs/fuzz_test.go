package ecs

import (
	"strconv"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/platforms/ecs/ecsapi"
)

// FuzzParseTaskARN feeds task identifiers as they come from the database
// or from ECS: a parsed ARN has a valid id, and re-assembling it parses
// to the same thing.
func FuzzParseTaskARN(f *testing.F) {
	for _, s := range []string{
		"arn:aws:ecs:us-east-1:123456789012:task/bots/0123456789abcdef0123456789abcdef",
		"arn:aws-cn:ecs:cn-north-1:123456789012:task/0123456789abcdef0123456789abcdef",
		"arn:aws:ecs:us-east-1:000000000000:task/meeboter-test-1/cf3c9af9",
		"arn:aws:ecs:us-east-1:123456789012:cluster/bots",
		"meeboter-bot-42-x7k2q", "12345", "", "arn:aws:ecs:::task/", "arn:aws:ecs:r:a:task/a/b/c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, ok := parseTaskARN(s)
		if !ok {
			return
		}
		if !validName(ref.ID, 64) || ref.Cluster != "" && !validName(ref.Cluster, 255) {
			t.Fatalf("parseTaskARN(%q) = %+v: invalid parts accepted", s, ref)
		}
		resource := "task/" + ref.ID
		if ref.Cluster != "" {
			resource = "task/" + ref.Cluster + "/" + ref.ID
		}
		if !strings.HasSuffix(s, ":"+resource) {
			t.Fatalf("parseTaskARN(%q) = %+v, which is not what the ARN ends with", s, ref)
		}
		if again, ok := parseTaskARN("arn:aws:ecs:us-east-1:123456789012:" + resource); !ok || again != ref {
			t.Fatalf("re-assembled %q parses to %+v, %v", resource, again, ok)
		}
	})
}

// FuzzOwner feeds the tags and startedBy of tasks read back from ECS,
// which anyone with access to the cluster can set.
func FuzzOwner(f *testing.F) {
	f.Add("meeboter-bot-42", "42", "meeboter")
	f.Add("meeboter-bot--1", "-5", "someone")
	f.Add("ecs-svc/1234", "abc", "")
	f.Add("meeboter-bot-99999999999999999999", "0", "meeboter")
	f.Fuzz(func(t *testing.T, startedBy, botTag, managedBy string) {
		task := ecsapi.Task{StartedBy: startedBy, Tags: []ecsapi.Tag{
			{Key: TagBotID, Value: botTag},
			{Key: TagManagedBy, Value: managedBy},
		}}
		id, _, ours := owner(task)
		if id < 0 {
			t.Fatalf("owner gave bot id %d", id)
		}
		if wantOurs := managedBy == ManagedByValue || strings.HasPrefix(startedBy, StartedByPrefix); ours != wantOurs {
			t.Fatalf("owner(startedBy %q, managed-by %q) ours = %v", startedBy, managedBy, ours)
		}
		if n, err := strconv.ParseInt(botTag, 10, 64); err == nil && n > 0 && id != n {
			t.Fatalf("owner ignored the bot-id tag %q: %d", botTag, id)
		}
	})
}

// FuzzSplitList feeds the comma lists of the environment.
func FuzzSplitList(f *testing.F) {
	for _, s := range []string{"subnet-a,subnet-b", " a , ,b,", "", ",,,", "FARGATE_SPOT,FARGATE"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, item := range splitList(s) {
			if item == "" || item != strings.TrimSpace(item) || strings.Contains(item, ",") {
				t.Fatalf("splitList(%q) has item %q", s, item)
			}
		}
	})
}
