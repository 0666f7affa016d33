package demo

// person is one demo user. Phones are in the 555-01xx block, which is set
// aside for fiction and still valid to libphonenumber; emails use the
// reserved .test top-level domain.
type person struct {
	name, email, phone string
}

// people are the demo tenant's 20 ordinary users; the last four have only
// a phone number, as field staff often do. Amara's is the number of the
// docs' examples (+1 324 576 8342), so that its alias
// 13245768342@collaborate.center (the demo's PhoneAliasDomain) finds her.
var people = []person{
	{"Maya Okafor", "maya.okafor@demo.test", "+1 212 555 0101"},
	{"Liam Chen", "liam.chen@demo.test", ""},
	{"Sofia Rossi", "sofia.rossi@demo.test", "+1 212 555 0103"},
	{"Noah Williams", "noah.williams@demo.test", ""},
	{"Aisha Rahman", "aisha.rahman@demo.test", "+1 212 555 0105"},
	{"Lucas Müller", "lucas.mueller@demo.test", ""},
	{"Emma Johansson", "emma.johansson@demo.test", "+1 415 555 0107"},
	{"Mateo García", "mateo.garcia@demo.test", ""},
	{"Chloé Martin", "chloe.martin@demo.test", "+1 415 555 0109"},
	{"Kenji Tanaka", "kenji.tanaka@demo.test", ""},
	{"Priya Nair", "priya.nair@demo.test", "+1 415 555 0111"},
	{"Oliver Smith", "oliver.smith@demo.test", ""},
	{"Zanele Dlamini", "zanele.dlamini@demo.test", "+1 646 555 0113"},
	{"Hannah Kowalski", "hannah.kowalski@demo.test", ""},
	{"Diego Fernández", "diego.fernandez@demo.test", "+1 646 555 0115"},
	{"Grace Lee", "grace.lee@demo.test", ""},
	{"Tomás Silva", "", "+1 212 555 0117"},
	{"Fatima Haddad", "", "+1 212 555 0118"},
	{"Jonas Berg", "", "(415) 555-0119"},
	{"Amara Eze", "", "324-576-8342"},
}

// topics and formats make the demo's session titles: every topic in every
// format, so that a search for a topic or a format finds several.
var topics = []string{
	"Q3 Roadmap", "Onboarding Flow", "Pricing Page", "Mobile App Release 4.2",
	"Customer Churn", "Data Retention Policy", "Hiring Plan", "Brand Refresh",
	"Support Escalations", "Partner Integrations", "Incident 2291", "Billing Migration",
	"Accessibility Audit", "Sales Kickoff", "Security Training", "Annual Budget",
	"Search Relevance", "Checkout Redesign", "Warehouse Scheduling", "Board Deck",
	"API Deprecation", "Localization", "Design System", "Offsite Planning",
}

var formats = []string{"Review", "Kickoff", "Retrospective", "Working Session", "Weekly Sync"}

// sessionTitles returns len(topics)*len(formats) titles (120), topics
// interleaved so that neighbours in the list differ.
func sessionTitles() []string {
	titles := make([]string, 0, len(topics)*len(formats))
	for _, f := range formats {
		for _, t := range topics {
			titles = append(titles, t+" "+f)
		}
	}
	return titles
}

// descriptions are rotated over the sessions.
var descriptions = []string{
	"Agenda and notes are in the session. Bring open questions.",
	"Decide the next steps and who owns them.",
	"",
	"Follow-up of last week's discussion; read the summary first.",
	"Collect feedback from every team before Friday.",
}
