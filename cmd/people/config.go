package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/cldpeople/cloudinary-people-go/internal/cldurl"
	"github.com/cldpeople/cloudinary-people-go/wrapper"
)

// target is the account and API host a job runs against, read from
// CLOUDINARY_URL: a checkpoint records it, so that a job cannot continue
// against another account.
type target struct {
	cloud string
	api   string // the API's host, with a port when it has one
}

// errConfig marks a CLOUDINARY_URL the command cannot use.
var errConfig = errors.New("configuration")

// readTarget checks CLOUDINARY_URL in the program's own words: a user of
// the command sets an environment variable, not Go options.
func readTarget() (target, error) {
	raw := os.Getenv("CLOUDINARY_URL")
	if strings.TrimSpace(raw) == "" {
		return target{}, fmt.Errorf("%w: CLOUDINARY_URL is not set: set it to %s", errConfig, cldurl.Form)
	}
	u, err := cldurl.Parse(raw)
	if err != nil {
		msg := bareMessage(err)
		if !strings.Contains(msg, "CLOUDINARY_URL") {
			msg = "CLOUDINARY_URL: " + msg
		}
		return target{}, fmt.Errorf("%w: %s", errConfig, msg)
	}
	switch {
	case u.CloudName == "":
		return target{}, fmt.Errorf("%w: CLOUDINARY_URL names no cloud: it must look like %s", errConfig, cldurl.Form)
	case u.OAuthToken == "" && (u.APIKey == "" || u.APISecret == ""):
		return target{}, fmt.Errorf("%w: CLOUDINARY_URL has no API key and secret (nor oauth_token): it must look like %s", errConfig, cldurl.Form)
	}
	api := u.UploadPrefix
	if api == "" {
		api = wrapper.DefaultBaseURL
	}
	base, err := cldurl.BaseURL(api)
	if err != nil {
		return target{}, fmt.Errorf("%w: CLOUDINARY_URL's upload_prefix: %s", errConfig, bareMessage(err))
	}
	return target{cloud: u.CloudName, api: base.Host}, nil
}

// bareMessage is err's text without the library's "people: " prefixes,
// which the program's own prefix would double.
func bareMessage(err error) string {
	msg := err.Error()
	for strings.HasPrefix(msg, "people: ") {
		msg = strings.TrimPrefix(msg, "people: ")
	}
	return msg
}

// redactURL hides the password a Redis URL may hold, for messages.
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "(not a URL)"
	}
	host := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		host = rest[:i]
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		user, _, hasPassword := strings.Cut(host[:at], ":")
		if hasPassword {
			user += ":xxxxx"
		}
		rest = user + "@" + rest[at+1:]
	}
	return scheme + "://" + rest
}

// withoutSecret scrubs every piece of raw's user information from msg, so
// that an error of a library that quotes the URL it was given leaks none.
func withoutSecret(msg, raw string) string {
	msg = strings.ReplaceAll(msg, raw, redactURL(raw))
	_, rest, _ := strings.Cut(raw, "://")
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "" {
			// As written, and as a parser that unescapes it quotes it.
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
			if unescaped, err := url.PathUnescape(pw); err == nil && unescaped != "" {
				msg = strings.ReplaceAll(msg, unescaped, "xxxxx")
			}
		}
	}
	return msg
}

// cliError words a failed call for the command line: the credentials or
// the flags the user gave, not the library's option names.
func cliError(err error, c common, client *wrapper.Client) error {
	switch {
	case errors.Is(err, wrapper.ErrAuthentication), errors.Is(err, wrapper.ErrFeatureNotEnabled):
		return fmt.Errorf("%w: the API refused the credentials in CLOUDINARY_URL: %s", errConfig, bareMessage(err))
	case errors.Is(err, wrapper.ErrConfig) && c.reserve > 0 && client.RateLimit().Limit > 0:
		return fmt.Errorf("%w: -reserve %d leaves no call of the hourly limit of %d: give a -reserve below it", errUsage, c.reserve, client.RateLimit().Limit)
	}
	return err
}
