//go:build !unix

package deck

func peakRSS() int64 { return 0 }
