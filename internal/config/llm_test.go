package config

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestLoadLLM(t *testing.T) {
	c, err := Load(nil)
	require.NoError(t, err)
	require.False(t, c.LLM.On(), "off by default")
	c, err = Load([]string{"TB_LLM_BASE_URL=https://llm.example.org/v1/", "TB_LLM_API_KEY=sk-test"})
	require.NoError(t, err)
	require.Equal(t, LLM{BaseURL: "https://llm.example.org/v1", APIKey: "sk-test", Model: DefaultLLMModel}, c.LLM)
	require.True(t, c.LLM.On())
	_, err = Load([]string{"TB_LLM_BASE_URL=https://llm.example.org/v1"})
	require.ErrorContains(t, err, "must be set together")
	_, err = Load([]string{"TB_LLM_BASE_URL=llm.example.org", "TB_LLM_API_KEY=k"})
	require.ErrorContains(t, err, "TB_LLM_BASE_URL")
}
