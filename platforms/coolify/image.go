package coolify

import (
	"fmt"
	"strings"
)

// ImageRef is a bot image as Coolify stores it: the repository
// (docker_registry_image_name) and the tag (docker_registry_image_tag). A
// digest is kept Coolify's way, as name@sha256 with the hex as the tag.
type ImageRef struct {
	Name string
	Tag  string
}

// String is the reference as Docker writes it.
func (r ImageRef) String() string {
	if n, ok := strings.CutSuffix(r.Name, "@sha256"); ok {
		return n + "@sha256:" + r.Tag
	}
	return r.Name + ":" + r.Tag
}

// Coolify's own patterns (app/Support/ValidationPatterns.php,
// DOCKER_IMAGE_NAME_PATTERN and DOCKER_IMAGE_TAG_PATTERN). Checking them
// here turns a 422 at the first slot creation into a start-up error naming
// the variable. The name pattern's length lookahead (1 to 255) is checked
// apart, as RE2 has no lookahead.
var (
	imageNameRe = lazyRegexp(`^(?:(?:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]+)?/)?` +
		`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?:@sha256)?$`)
	imageTagRe = lazyRegexp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
)

// ParseImage splits name[:tag] or name@sha256:digest, with defaultTag when
// no tag is given, and checks both parts against Coolify's patterns.
func ParseImage(ref, defaultTag string) (ImageRef, error) {
	ref = strings.TrimSpace(ref)
	var out ImageRef
	if name, digest, ok := strings.Cut(ref, "@sha256:"); ok {
		out = ImageRef{Name: name + "@sha256", Tag: digest}
	} else if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		out = ImageRef{Name: ref[:i], Tag: ref[i+1:]}
	} else {
		out = ImageRef{Name: ref, Tag: defaultTag}
	}
	return out, out.validate()
}

func (r ImageRef) validate() error {
	if len(r.Name) == 0 || len(r.Name) > 255 || !imageNameRe().MatchString(r.Name) {
		hint := ""
		if strings.ToLower(r.Name) != r.Name {
			hint = " (image names must be lowercase)"
		}
		return fmt.Errorf("image name %q is not one Coolify accepts%s", r.Name, hint)
	}
	if !imageTagRe().MatchString(r.Tag) {
		return fmt.Errorf("image tag %q is not one Coolify accepts (letters, digits, _ . -; at most 128)", r.Tag)
	}
	return nil
}

// defaultImage is the original server's image for a meeting platform:
// ghcr.io/<org>/meeboter-<meeting platform>-bot.
func defaultImage(org, meetingPlatform string) string {
	return "ghcr.io/" + strings.Trim(strings.TrimPrefix(org, "ghcr.io/"), "/") + "/meeboter-" + meetingPlatform + "-bot"
}

// Image is the bot image of a meeting platform: the override from Images,
// or the default under GHCROrg.
func (c Config) Image(meetingPlatform string) (ImageRef, error) {
	c = c.withDefaults()
	ref, ok := c.Images[meetingPlatform]
	if !ok {
		if c.GHCROrg == "" {
			return ImageRef{}, fmt.Errorf("no image for %s: set GHCR_ORG or %s", meetingPlatform, imageVars[meetingPlatform])
		}
		ref = defaultImage(strings.ToLower(c.GHCROrg), meetingPlatform)
	}
	return ParseImage(ref, c.ImageTag)
}
