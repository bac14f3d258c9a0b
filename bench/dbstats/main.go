// Command dbstats prints how much space each bucket of an srs database
// takes: keys, leaf pages and bytes in use, for bench/RESULTS.md.
//
//	go run ./bench/dbstats FILE
package main

import (
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dbstats FILE")
		os.Exit(2)
	}
	db, err := bolt.Open(os.Args[1], 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbstats:", err)
		os.Exit(1)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		fmt.Println("size", tx.Size())
		var walk func(prefix string, b *bolt.Bucket)
		walk = func(prefix string, b *bolt.Bucket) {
			s := b.Stats()
			fmt.Printf("%-30s keys=%d leafPages=%d leafAlloc=%dMB leafInuse=%dMB branchAlloc=%dMB\n", prefix, s.KeyN, s.LeafPageN, s.LeafAlloc>>20, s.LeafInuse>>20, s.BranchAlloc>>20)
			b.ForEachBucket(func(k []byte) error { walk(prefix+"/"+string(k), b.Bucket(k)); return nil })
		}
		tx.ForEach(func(k []byte, b *bolt.Bucket) error { walk(string(k), b); return nil })
		st := db.Stats()
		fmt.Println("free pages", st.FreePageN, "pending", st.PendingPageN)
		return nil
	})
}
