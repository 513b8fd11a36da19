// A light viewer load for livekit-server: each token read from stdin joins the room as a
// subscriber that receives every RTP packet of the tracks it is sent and counts them, without
// decoding. Every second it prints one JSON line of what all subscribers received in that
// second, so the bench can tell whether livekit-server (not this generator) is the limit.
//
// Usage: subscriber -url ws://127.0.0.1:7880 < tokens (one token per line; more lines add
// more subscribers at any time; closing stdin disconnects them all and exits).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
)

// video counts one subscriber's video frames (RTP packets with the marker bit: the last packet
// of a frame) and its packets lost (gaps in the sequence numbers) in the current second.
type video struct {
	frames atomic.Int64
	lost   atomic.Int64
	total  atomic.Int64 // frames since it joined
}

type load struct {
	url     string
	joined  atomic.Int64
	failed  atomic.Int64
	packets atomic.Int64
	bytes   atomic.Int64

	mu     sync.Mutex
	videos []*video
	rooms  []*lksdk.Room
}

func (l *load) receive(track *webrtc.TrackRemote) {
	var v *video
	if track.Kind() == webrtc.RTPCodecTypeVideo {
		v = &video{}
		l.mu.Lock()
		l.videos = append(l.videos, v)
		l.mu.Unlock()
	}
	var last uint16
	started := false
	for {
		packet, _, err := track.ReadRTP()
		if err != nil {
			return
		}
		l.packets.Add(1)
		l.bytes.Add(int64(len(packet.Payload)))
		if v == nil {
			continue
		}
		if packet.Marker {
			v.frames.Add(1)
			v.total.Add(1)
		}
		if started {
			// a gap the SFU did not fill; a retransmission arrives late and is not a gap
			gap := packet.SequenceNumber - last
			if gap > 1 && gap < 0x8000 {
				v.lost.Add(int64(gap - 1))
			}
		}
		if !started || packet.SequenceNumber-last < 0x8000 {
			last = packet.SequenceNumber
		}
		started = true
	}
}

func (l *load) join(token string) {
	callback := &lksdk.RoomCallback{
		ParticipantCallback: lksdk.ParticipantCallback{
			OnTrackSubscribed: func(track *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, _ *lksdk.RemoteParticipant) {
				go l.receive(track)
			},
		},
	}
	room, err := lksdk.ConnectToRoomWithToken(l.url, token, callback, lksdk.WithConnectTimeout(15*time.Second))
	if err != nil {
		l.failed.Add(1)
		fmt.Fprintln(os.Stderr, "join failed:", err)
		return
	}
	l.joined.Add(1)
	l.mu.Lock()
	l.rooms = append(l.rooms, room)
	l.mu.Unlock()
}

type second struct {
	Joined      int64   `json:"joined"`
	Failed      int64   `json:"failed"`
	Videos      int     `json:"videos"`
	Packets     int64   `json:"packets"`
	Kbps        int64   `json:"kbps"`
	FpsMin      int64   `json:"fpsMin"`
	FpsMedian   int64   `json:"fpsMedian"`
	FpsMax      int64   `json:"fpsMax"`
	Lost        int64   `json:"lost"`
	LossPercent float64 `json:"lossPercent"`
	// each subscriber's frames since it joined, in the order they joined
	Frames []int64 `json:"frames"`
}

func (l *load) report() second {
	l.mu.Lock()
	videos := append([]*video(nil), l.videos...)
	l.mu.Unlock()
	fps := make([]int64, 0, len(videos))
	totals := make([]int64, 0, len(videos))
	var lost int64
	for _, v := range videos {
		fps = append(fps, v.frames.Swap(0))
		totals = append(totals, v.total.Load())
		lost += v.lost.Swap(0)
	}
	sort.Slice(fps, func(i, j int) bool { return fps[i] < fps[j] })
	s := second{Joined: l.joined.Load(), Failed: l.failed.Load(), Videos: len(videos), Frames: totals}
	s.Packets = l.packets.Swap(0)
	s.Kbps = l.bytes.Swap(0) * 8 / 1000
	s.Lost = lost
	if s.Packets+lost > 0 {
		s.LossPercent = float64(lost) * 100 / float64(s.Packets+lost)
	}
	if len(fps) > 0 {
		s.FpsMin, s.FpsMedian, s.FpsMax = fps[0], fps[len(fps)/2], fps[len(fps)-1]
	}
	return s
}

func main() {
	url := flag.String("url", "ws://127.0.0.1:7880", "livekit-server URL")
	flag.Parse()
	l := &load{url: *url}

	out := json.NewEncoder(os.Stdout)
	go func() {
		for range time.Tick(time.Second) {
			_ = out.Encode(l.report())
		}
	}()

	lines := bufio.NewScanner(os.Stdin)
	lines.Buffer(make([]byte, 64*1024), 64*1024)
	var joins sync.WaitGroup
	for lines.Scan() {
		token := lines.Text()
		if token == "" {
			continue
		}
		joins.Add(1)
		go func() {
			defer joins.Done()
			l.join(token)
		}()
	}
	joins.Wait()
	l.mu.Lock()
	for _, room := range l.rooms {
		room.Disconnect()
	}
	l.mu.Unlock()
}
