//go:build race

package focal_test

const raceEnabled = true
