package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// child is an index process the bench started.
type child struct {
	cmd  *exec.Cmd
	name string        // for errors
	done chan struct{} // closed once its stdout was read to the end
}

// startChild starts cmd, named name in errors, with its stderr going to
// the file logPath, and returns it with its stdout; whoever reads that
// to the end closes done.
func startChild(cmd *exec.Cmd, name, logPath string) (child, io.Reader, error) {
	c := child{cmd: cmd, name: name, done: make(chan struct{})}
	log, err := os.Create(logPath)
	if err != nil {
		return c, nil, err
	}
	defer log.Close() // the child has its own descriptor
	cmd.Stderr = log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return c, nil, err
	}
	return c, out, cmd.Start()
}

// kill ends a child that failed to start properly.
func (c *child) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// stop ends the child with SIGTERM, as an operator would, and returns
// the CPU time it used.
func (c *child) stop() (time.Duration, error) {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { <-c.done; exited <- c.cmd.Wait() }()
	select {
	case err := <-exited:
		return cpuTime(c.cmd.ProcessState), err
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		return 0, fmt.Errorf("%s did not stop within 30 s of SIGTERM", c.name)
	}
}
