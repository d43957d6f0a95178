package assistant

import (
	"strconv"
	"strings"
)

// Source is a text an answer is built from: an FAQ entry (or a person's
// own data), with its title.
type Source struct {
	Title, Text string
}

// Message is one message of an OpenAI-compatible chat request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Prompt is what a language model is asked: to answer question in lang
// from sources only, numbered, and to say so when they do not answer it.
// Nothing else of the school or of the person goes in.
func Prompt(question, lang string, sources []Source) []Message {
	language := map[string]string{"it": "Italian", "en": "English"}[lang]
	if language == "" {
		language = "English"
	}
	var b strings.Builder
	for i, s := range sources {
		b.WriteString("[" + strconv.Itoa(i+1) + "] " + s.Title + "\n" + s.Text + "\n\n")
	}
	return []Message{
		{Role: "system", Content: "You are the help desk of a tutoring school. Answer the question in " + language +
			", in at most three short sentences, using only the numbered sources below. If they do not answer it, say " +
			"that you do not know. Do not add facts, links, prices or dates that are not in the sources.\n\nSources:\n\n" +
			strings.TrimSpace(b.String())},
		{Role: "user", Content: question},
	}
}
