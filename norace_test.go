//go:build !race

package focal_test

const raceEnabled = false
