// Package service holds Forewarn's rules: what is visible to whom, what input
// is valid, how content changes state. The HTML pages and the JSON API call
// the same functions here; this package imports neither Fiber nor GORM.
package service
