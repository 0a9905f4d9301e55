package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// deps lists every package pkg builds on, as `go list -deps` reports them.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestPackagesKeepTheirPlaces holds the layering: the API and the web pages
// are peers that meet only in package server; domain stays free of the web
// framework and the database library; only store reaches gorm.
func TestPackagesKeepTheirPlaces(t *testing.T) {
	const mod = "github.com/parley/parley/"
	forbidden := map[string][]string{
		"./ui":     {mod + "api", mod + "server", mod + "store"},
		"./api":    {mod + "ui", mod + "server", mod + "store"},
		"./auth":   {mod + "api", mod + "ui", mod + "store", "gorm.io/gorm"},
		"./domain": {"github.com/labstack/echo/v4", "gorm.io/gorm", mod + "auth", mod + "report"},
		"./report": {"github.com/labstack/echo/v4", "gorm.io/gorm", mod + "api", mod + "ui"},
	}
	for pkg, bad := range forbidden {
		got := deps(t, pkg)
		for _, b := range bad {
			if slices.Contains(got, b) {
				t.Errorf("%s depends on %s", pkg, b)
			}
		}
	}
	if s := deps(t, "./server"); !slices.Contains(s, mod+"api") || !slices.Contains(s, mod+"ui") {
		t.Error("server does not mount both the API and the pages")
	}
}
