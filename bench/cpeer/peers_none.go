//go:build !cpeer

package cpeer

// Peers returns no peers: this build has no C peer (build with -tags cpeer).
func Peers() []Peer { return nil }
