package waiting

import (
	"testing"

	"github.com/corogen/corogen/internal/exectest"
)

func TestWaitFirstCompleted(t *testing.T) { exectest.Run(t, WaitFirstCompleted, &out) }
func TestWaitFirstError(t *testing.T)     { exectest.Run(t, WaitFirstError, &out) }
func TestWaitTimeout(t *testing.T)        { exectest.Run(t, WaitTimeout, &out) }
func TestWaitCancelled(t *testing.T)      { exectest.Run(t, WaitCancelled, &out) }
func TestAsCompleted(t *testing.T)        { exectest.Run(t, AsCompleted, &out) }
func TestAsCompletedCancel(t *testing.T)  { exectest.Run(t, AsCompletedCancel, &out) }
func TestWaitFor(t *testing.T)            { exectest.Run(t, WaitFor, &out) }
func TestWaitForOutside(t *testing.T)     { exectest.Run(t, WaitForOutside, &out) }
func TestScopes(t *testing.T)             { exectest.Run(t, Scopes, &out) }
func TestScopeOutside(t *testing.T)       { exectest.Run(t, ScopeOutside, &out) }
func TestShield(t *testing.T)             { exectest.Run(t, Shield, &out) }
