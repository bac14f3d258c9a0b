//go:build !unix

package apkg

func peakRSS() int64 { return 0 }
