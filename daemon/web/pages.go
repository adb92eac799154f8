package web

// pageWriters writes the content of each page, by the name its view
// gives; the layout goes around it.
var pageWriters = map[string]func(d *doc, fr *frame){
	"bots":   func(d *doc, fr *frame) { d.botsPage(fr, fr.Data.(botsData)) },
	"bot":    (*doc).botPage,
	"error":  (*doc).errorPage,
	"secret": (*doc).secretPage,
	"newbot": (*doc).newbotPage,
	"keys":   (*doc).keysPage,
	"users":  (*doc).usersPage,
	"pool":   (*doc).poolPage,
	"usage":  (*doc).usagePage,
	"signin": (*doc).signinPage,
	"link":   (*doc).linkPage,
}
