// Package fast is the sigmoid focal loss in pure Go for CPUs without a
// vector level (draft).
package fast
