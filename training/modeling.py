"""The network: a BERT encoder (e5-small student), masked mean + max pooling, one sigmoid head per label.

Max pooling sits beside mean pooling so one abusive word in a long friendly
message is not averaged away (mean pooling alone diluted it).
"""
from __future__ import annotations

import torch
from torch import nn


class ToxicityNet(nn.Module):
    def __init__(self, encoder, num_labels: int, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * encoder.config.hidden_size, num_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Return logits [batch, labels]."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        # Padding gets a large negative value (not -inf: keeps ONNX/int8 ranges finite).
        peak = (hidden - (1.0 - mask) * 1e4).amax(1)
        return self.head(self.dropout(torch.cat([mean, peak], dim=-1)))


class ExportWrapper(nn.Module):
    """What model.onnx computes: probabilities, not logits."""

    def __init__(self, net: ToxicityNet):
        super().__init__()
        self.net = net

    def forward(self, input_ids, attention_mask):
        return torch.sigmoid(self.net(input_ids, attention_mask))


def build_model(encoder, num_labels: int) -> ToxicityNet:
    """Put the heads on an encoder (see training/e5.py for where it comes from)."""
    return ToxicityNet(encoder, num_labels)
