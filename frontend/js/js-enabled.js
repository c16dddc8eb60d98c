// Loaded at the top of <body>: tells GOV.UK Frontend's CSS that JavaScript runs.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
