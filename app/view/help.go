package view

import "forewarn/app/service"

// PhoneText writes a stored phone number (E.164 or a short number) for
// reading: "+40 700 000 000".
func (p *Page) PhoneText(stored string) string {
	text, _ := service.PhoneDisplay(stored)
	return text
}

// SplitCodes splits a comma-separated list of codes.
func (p *Page) SplitCodes(list string) []string {
	return service.SplitCodes(list)
}
