// Package srs is the module's root. It holds no code: its test
// (layout_test.go) keeps the packages importing each other in the one
// direction README.md's map documents.
package srs
