//go:build corosrc

// Package lib holds async functions awaited from another package.
package lib

import (
	"github.com/corogen/corogen/rt"
)

//go:generate go run github.com/corogen/corogen/cmd/corogen

// Double returns 2*n after a sleep of n.
//
//coro:async
func Double(n int) rt.Coro[int] {
	return rt.Async(func() int {
		rt.Await(rt.Sleep(1))
		return 2 * n
	})
}

// Store is a type with async methods.
type Store struct{ data map[string]string }

// NewStore returns an empty store.
func NewStore() *Store { return &Store{data: map[string]string{}} }

//coro:async
func (s *Store) Set(k, v string) rt.Coro[rt.Void] {
	return rt.Do(func() {
		rt.Await(rt.Sleep(1))
		s.data[k] = v
	})
}

//coro:async
func (s *Store) Get(k string) rt.Coro[string] {
	return rt.AsyncErr(func() (string, error) {
		rt.Await(rt.Sleep(1))
		v, ok := s.data[k]
		if !ok {
			return "", ErrMissing{k}
		}
		return v, nil
	})
}

// ErrMissing is the error of Get for an unknown key.
type ErrMissing struct{ Key string }

func (e ErrMissing) Error() string { return "missing " + e.Key }
