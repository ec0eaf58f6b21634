# Browser test of the HTML quality report: renders it in headless Chromium (Debian's
# package, installed when missing), checks that the page and its charts render with
# no console errors, and saves screenshots in $(BUILD) as artifacts.

.PHONY: test-browser

test-browser: all ## Render the HTML quality report in headless Chromium and save screenshots
	THEMEDB=$(CURDIR)/$(BINARY) BUILD=$(CURDIR)/$(BUILD) sh tests/browser/report.sh
