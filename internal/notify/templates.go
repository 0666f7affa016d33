package notify

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// template is one kind of message: a subject, a text and an HTML body for
// email, and a short body for SMS. Data is HTML-escaped in the HTML body
// only; the subject goes through HeaderSafe in the sender.
type template struct {
	subject, text, sms *texttemplate.Template
	html               *htmltemplate.Template
}

var funcs = map[string]any{
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

func mustTemplate(name, subject, text, html, sms string) *template {
	t := func(part, src string) *texttemplate.Template {
		return texttemplate.Must(texttemplate.New(name + "." + part).Funcs(funcs).Parse(src))
	}
	return &template{
		subject: t("subject", subject),
		text:    t("text", text),
		sms:     t("sms", sms),
		html:    htmltemplate.Must(htmltemplate.New(name + ".html").Funcs(funcs).Parse(htmlLayoutStart + html + htmlLayoutEnd)),
	}
}

// execute renders the message for channel, leaving HTML empty for SMS.
func (t *template) execute(channel string, data any) (subject, text, html string, err error) {
	var b bytes.Buffer
	if err = t.subject.Execute(&b, data); err != nil {
		return "", "", "", fmt.Errorf("render subject: %w", err)
	}
	subject = strings.TrimSpace(b.String())
	b.Reset()
	if channel == ChannelSMS {
		if err = t.sms.Execute(&b, data); err != nil {
			return "", "", "", fmt.Errorf("render sms: %w", err)
		}
		return subject, truncate(strings.TrimSpace(b.String()), MaxSMSLen), "", nil
	}
	if err = t.text.Execute(&b, data); err != nil {
		return "", "", "", fmt.Errorf("render text: %w", err)
	}
	text = strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	if err = t.html.Execute(&b, data); err != nil {
		return "", "", "", fmt.Errorf("render html: %w", err)
	}
	return subject, text, b.String(), nil
}

const htmlLayoutStart = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{template "title" .}}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328; max-width: 40em">
`

const htmlLayoutEnd = `
<p style="color: #656d76; font-size: 0.9em">Sent by Convene{{with .Tenant}} for {{.}}{{end}}.</p>
</body></html>
`

// batchData fills batchTemplate.
type batchData struct {
	Name, Inviter, Tenant string
	Access                string // "collaborate" or "view"
	Sessions              []sessionLink
	More                  int // sessions not listed
	Total                 int
	DashboardURL          string
}

type sessionLink struct{ Title, URL string }

var batchTemplate = mustTemplate("batch",
	`{{if .Inviter}}{{.Inviter}} gave you{{else}}You have{{end}} access to {{if eq .Total 1}}"{{(index .Sessions 0).Title}}"{{else}}{{.Total}} sessions{{end}}{{with .Tenant}} in {{.}}{{end}}`,
	`Hello {{.Name}},

{{if .Inviter}}{{.Inviter}} gave you{{else}}You now have{{end}} access to {{.Total}} {{plural .Total "session" "sessions"}}{{with .Tenant}} in {{.}}{{end}}:
{{range .Sessions}}
- {{.Title}}
  {{.URL}}
{{end}}{{if .More}}
... and {{.More}} more: {{.DashboardURL}}
{{end}}`,
	`{{define "title"}}Sessions opened to you{{end}}<p>Hello {{.Name}},</p>
<p>{{if .Inviter}}{{.Inviter}} gave you{{else}}You now have{{end}} access to {{.Total}} {{plural .Total "session" "sessions"}}{{with .Tenant}} in {{.}}{{end}}:</p>
<ul>{{range .Sessions}}
<li><a href="{{.URL}}">{{.Title}}</a></li>{{end}}
</ul>{{if .More}}
<p>... and <a href="{{.DashboardURL}}">{{.More}} more</a>.</p>{{end}}`,
	`{{if .Inviter}}{{.Inviter}} gave you{{else}}You have{{end}} access to {{.Total}} Convene {{plural .Total "session" "sessions"}}:{{range .Sessions}}
{{.Title}} {{.URL}}{{end}}{{if .More}}
+{{.More}} more: {{.DashboardURL}}{{end}}`)

// inviteData fills inviteTemplate.
type inviteData struct {
	Inviter, Tenant, Title string
	ViewOnly               bool
	URL, Expires           string
}

var inviteTemplate = mustTemplate("invite",
	`{{.Inviter}} invited you to "{{.Title}}"{{with .Tenant}} on {{.}}{{end}}`,
	`Hello,

{{.Inviter}} invited you to the session "{{.Title}}"{{with .Tenant}} on {{.}}{{end}}{{if .ViewOnly}}, to view it{{end}}.

Open this link to join as a guest (you choose your name and a password):
{{.URL}}

The link works once and expires on {{.Expires}}. If you did not expect this invitation, ignore this message.`,
	`{{define "title"}}Invitation{{end}}<p>Hello,</p>
<p>{{.Inviter}} invited you to the session <strong>{{.Title}}</strong>{{with .Tenant}} on {{.}}{{end}}{{if .ViewOnly}}, to view it{{end}}.</p>
<p><a href="{{.URL}}">Accept the invitation</a> to join as a guest (you choose your name and a password).</p>
<p>The link works once and expires on {{.Expires}}. If you did not expect this invitation, ignore this message.</p>`,
	`{{.Inviter}} invited you to "{{.Title}}" on Convene. Join: {{.URL}} (expires {{.Expires}})`)

// passwordData fills passwordTemplate.
type passwordData struct {
	Name, Tenant, Login string
	Reset               bool
	URL, Expires        string
}

var passwordTemplate = mustTemplate("password",
	`{{if .Reset}}Reset your Convene password{{else}}Welcome to Convene{{with .Tenant}}: {{.}}{{end}}{{end}}`,
	`Hello {{.Name}},

{{if .Reset}}Someone (hopefully you) asked to reset the password of {{.Login}}{{with .Tenant}} on {{.}}{{end}}. Choose a new one here:{{else}}An account was created for you{{with .Tenant}} on {{.}}{{end}} (sign-in: {{.Login}}). Choose your password here:{{end}}
{{.URL}}

The link works once and expires on {{.Expires}}.{{if .Reset}} If you did not ask for this, ignore this message: your password stays as it is.{{end}}`,
	`{{define "title"}}{{if .Reset}}Reset your password{{else}}Welcome{{end}}{{end}}<p>Hello {{.Name}},</p>
<p>{{if .Reset}}Someone (hopefully you) asked to reset the password of {{.Login}}{{with .Tenant}} on {{.}}{{end}}.{{else}}An account was created for you{{with .Tenant}} on {{.}}{{end}} (sign-in: {{.Login}}).{{end}}</p>
<p><a href="{{.URL}}">{{if .Reset}}Choose a new password{{else}}Choose your password{{end}}</a></p>
<p>The link works once and expires on {{.Expires}}.{{if .Reset}} If you did not ask for this, ignore this message: your password stays as it is.{{end}}</p>`,
	`{{if .Reset}}Reset your Convene password{{else}}Your Convene account is ready{{end}}: {{.URL}} (expires {{.Expires}})`)
