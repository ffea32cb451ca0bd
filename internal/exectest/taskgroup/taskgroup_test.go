package taskgroup

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestRun(t *testing.T)         { exectest.Run(t, Run, &out) }
func TestFailure(t *testing.T)     { exectest.Run(t, Failure, &out) }
func TestJoined(t *testing.T)      { exectest.Run(t, Joined, &out) }
func TestOutside(t *testing.T)     { exectest.Run(t, Outside, &out) }
func TestPanics(t *testing.T)      { exectest.Run(t, Panics, &out) }
func TestLimit(t *testing.T)       { exectest.Run(t, Limit, &out) }
func TestLimitCancel(t *testing.T) { exectest.Run(t, LimitCancel, &out) }
func TestWaitForm(t *testing.T)    { exectest.Run(t, WaitForm, &out) }
