package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// WriteFileAtomic writes a file the way srs writes every file it makes
// (backups, exports, restored databases). A regular file, or a name not
// yet taken, is written through a temporary sibling, buffered, synced and
// renamed over path, and the directory synced, so that a crash or an
// error never leaves a half-written file under the name. A symbolic link
// is followed: the file it names is replaced, the link kept. Anything
// else is written directly, as any program would write it, never
// replaced: a device (/dev/null), a named pipe, and any name under /dev
// or /proc (/dev/stdout, even when it leads to a regular file: replacing
// that would replace the file the shell opened).
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	target, direct, err := outputTarget(path)
	if err != nil {
		return err
	}
	if direct {
		return writeDirect(target, write)
	}
	dir := filepath.Dir(target)
	SweepTemp(dir)
	f, err := os.CreateTemp(dir, tempPrefix(target)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = rename(tmp, target)
	}
	if err == nil {
		err = syncDir(dir)
	}
	return err
}

// outputTarget is the file WriteFileAtomic writes for path, and whether it
// writes it directly.
func outputTarget(path string) (target string, direct bool, err error) {
	if abs := absPath(path); strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/") {
		return path, true, nil
	}
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return "", false, fmt.Errorf("%s is a directory", path)
		case !fi.Mode().IsRegular():
			return path, true, nil
		}
	}
	// Follow symbolic links to the file they name, which may not exist
	// yet (a link to the next backup).
	target = path
	for range 40 {
		fi, err := os.Lstat(target)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return target, false, nil
		}
		link, err := os.Readlink(target)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(target), link)
		}
		target = link
	}
	return "", false, fmt.Errorf("%s: too many levels of symbolic links", path)
}

func writeDirect(path string, write func(io.Writer) error) error {
	flag := os.O_WRONLY
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		flag |= os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable (a variable for tests).
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems cannot sync a directory; their renames are as
	// durable as they get.
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		err = nil
	}
	return err
}

// Temporary files. Every temporary file or directory srs makes has
// tempMark and the id of the process that made it in its name:
// ".<name>.srs-tmp-<pid>-<random>" beside the file it becomes, or
// "srs-tmp-<pid>-<random>" in the temporary directory. A process killed
// while writing leaves it behind; SweepTemp removes those whose process
// is gone, on the next run that writes there.
const tempMark = "srs-tmp-"

// tempStale is the age after which a temporary file counts as left
// behind even though a process of its id runs: the id was reused.
const tempStale = 24 * time.Hour

func tempPrefix(path string) string {
	return "." + filepath.Base(path) + "." + tempMark + strconv.Itoa(os.Getpid()) + "-"
}

// TempName is a name for a temporary sibling of path, not yet taken.
func TempName(path string) string {
	return filepath.Join(filepath.Dir(path), tempPrefix(path)+strconv.FormatUint(rand.Uint64(), 36))
}

// TempDir makes a temporary directory marked as srs's, in the system's
// temporary directory.
func TempDir() (string, error) {
	return os.MkdirTemp("", tempMark+strconv.Itoa(os.Getpid())+"-*")
}

// SweepTemp removes the temporary files and directories in dir that a
// killed srs process left behind, and says how many it removed. It
// touches only names with srs's mark whose process is gone (or that are
// older than a day).
func SweepTemp(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		i := strings.Index(e.Name(), tempMark)
		if i < 0 {
			continue
		}
		pidText, _, ok := strings.Cut(e.Name()[i+len(tempMark):], "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 {
			continue
		}
		if pid == os.Getpid() {
			continue
		}
		if processAlive(pid) {
			fi, err := e.Info()
			if err != nil || time.Since(fi.ModTime()) < tempStale {
				continue
			}
		}
		if os.RemoveAll(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}
